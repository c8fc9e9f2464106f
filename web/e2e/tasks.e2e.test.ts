// /tasks: the list equals GET /api/tasks; a drawn task's teams equal the API and its draw carries the "verified"
// badge; an operator of another department sees a 403 state; a partner department accepts its invitation on the page. Screenshots: tasks, task-detail, task-forbidden.
import { describe, it, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { apiAs, CHROMIUM, openPage, screenshot } from './harness.ts';
import { useFairdraw } from './fixture.ts';

/** The task ids a page's task table shows, in order. */
const tableTaskIds = (page: Page) => page.locator('[data-testid=tasks-table] tbody [data-task-id]').evaluateAll((links) => links.map((a) => a.getAttribute('data-task-id')));

describe.skipIf(!CHROMIUM)('tasks and draws pages', () => {
  const fx = useFairdraw();

  it('lists the same tasks as GET /api/tasks, per account, and filters by kind', async () => {
    for (const as of ['operator-samr', 'leader'] as const) {
      const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, '/tasks', { as });
      console.log(`render /tasks (${as}): ${renderMs} ms`);
      const api = (await (await apiAs(fx.app, as)).get('/api/tasks')).tasks as Array<{ id: string; kind: string; stage: string }>;
      expect(api.length).toBeGreaterThanOrEqual(5);
      expect(await tableTaskIds(page)).toEqual(api.map((t) => t.id));
      const stages = await page.locator('[data-testid=tasks-table] tbody td[data-key=stage]').allTextContents();
      expect(stages.length).toBe(api.length);
      if (as === 'operator-samr') await screenshot(page, 'tasks');
      await page.selectOption('[data-testid=filter-kind]', 'special');
      await expect.poll(() => tableTaskIds(page)).toEqual(api.filter((t) => t.kind === 'special').map((t) => t.id));
      expect(consoleErrors).toEqual([]);
      await page.context().close();
    }
  });

  it('shows a drawn task: teams equal the API, the unstaffed objects, the export link and the verified badge of D2026-0001', async () => {
    const api = await apiAs(fx.app, 'operator-samr');
    const draw = await api.get('/api/draws/D2026-0001?limit=100');
    const { page, consoleErrors, renderMs } = await openPage(fx.browser, fx.app, `/tasks/${draw.taskId}`, { as: 'operator-samr' });
    console.log(`render /tasks/${draw.taskId}: ${renderMs} ms`);
    await page.waitForSelector('[data-testid=draw][data-draw-id="D2026-0001"]');
    expect(await page.locator('[data-testid=commitment]').textContent()).toBe(draw.commitment);
    expect(await page.locator('[data-testid=population-digest]').textContent()).toBe(draw.populationDigest);

    const shown = await page.locator('[data-testid=teams-table] tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({
        objectId: row.querySelector('[data-object-id]')?.getAttribute('data-object-id'),
        team: [...row.querySelectorAll('[data-inspector-id]')].map((m) => m.getAttribute('data-inspector-id')),
      })),
    );
    const expected = draw.selection.rows.map((r: { objectId: string; team: Array<{ inspectorId: string }> }) => ({ objectId: r.objectId, team: r.team.map((m) => m.inspectorId) }));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected);
    if (draw.counts.unstaffedObjects > 0) expect(await page.locator('[data-testid=unstaffed-table] tbody tr').count()).toBe(draw.unstaffed.length);
    else await page.waitForSelector('[data-testid=no-unstaffed]');
    expect(await page.locator('[data-testid=export-zip]').getAttribute('href')).toBe('/api/draws/D2026-0001/export?package=public');
    expect(await page.locator('[data-testid=export-auditor-zip]').count()).toBe(0); // an operator never gets the tiers

    const started = Date.now();
    await page.waitForSelector('[data-testid=verified-badge][data-verified=true]', { timeout: 30_000 });
    console.log(`verified badge D2026-0001: ${Date.now() - started} ms after render`);
    expect(await page.locator('[data-testid=verified-badge]').getAttribute('title')).toMatch(/^fd[12] verified$/);
    await screenshot(page, 'task-detail');
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('refuses an operator another department\'s task with a 403 state', async () => {
    const admin = await apiAs(fx.app, 'admin');
    const plan = (await admin.get('/api/plans')).plans[0];
    const year = plan.year as number;
    const taxTask = await admin.send('POST', '/api/tasks', {
      planId: plan.id,
      kind: 'general',
      name: '纳税人纳税情况随机抽查（税务单独）',
      leadDepartment: 'TAX',
      items: ['TAX-001'],
      windowStart: `${year}-12-01`,
      windowEnd: `${year}-12-31`,
    });
    expect(taxTask.departments).toEqual(['TAX']);
    const { page, consoleErrors } = await openPage(fx.browser, fx.app, `/tasks/${taxTask.id}`, { as: 'operator-samr' });
    await page.waitForSelector('[data-testid=forbidden][data-state=forbidden]');
    expect(await page.locator('[data-testid=forbidden]').textContent()).toMatch(/TAX/);
    await screenshot(page, 'task-forbidden');
    // The refused request is the one error the console shows.
    expect(consoleErrors.filter((e) => !/403/.test(e))).toEqual([]);
    await page.context().close();

    const { page: own } = await openPage(fx.browser, fx.app, `/tasks/${taxTask.id}`, { as: 'operator-tax' });
    await own.waitForSelector('[data-testid=commit]');
    expect(await own.locator('[data-testid=task-id]').textContent()).toBe(taxTask.id);
    await own.context().close();

    // A SAMR task with a TAX item invites TAX: TAX's operator accepts on the task page, recorded with who answered.
    const joint = await admin.send('POST', '/api/tasks', { planId: plan.id, kind: 'general', name: '市场监管与税务联合抽查', items: ['SAMR-001', 'TAX-001'], windowStart: `${year}-12-01`, windowEnd: `${year}-12-31` });
    // the lead department's operator sees the commit wait for TAX, not a form the server would refuse
    const { page: lead } = await openPage(fx.browser, fx.app, `/tasks/${joint.id}`, { as: 'operator-samr' });
    await lead.waitForSelector('[data-testid=commit-waiting]');
    expect(await lead.locator('[data-testid=commit-waiting]').textContent()).toContain('TAX');
    expect(await lead.locator('[data-testid=commit-form]').count()).toBe(0);
    const { page: partner, consoleErrors: partnerErrors } = await openPage(fx.browser, fx.app, `/tasks/${joint.id}`, { as: 'operator-tax' });
    await partner.waitForSelector('[data-testid=invitation][data-department=TAX][data-status=pending]');
    await partner.click('[data-testid=accept-invitation]');
    await partner.waitForSelector('[data-testid=invitation][data-department=TAX][data-status=accepted]');
    expect(await partner.locator('[data-testid=invitation][data-department=TAX]').textContent()).toContain('operator-tax');
    expect((await admin.get(`/api/tasks/${joint.id}`)).invitations).toEqual([expect.objectContaining({ department: 'TAX', status: 'accepted', decidedBy: 'operator-tax' })]);
    // the commit is the lead department's: the partner is shown no commit form, the lead one now that TAX accepted
    expect(await partner.locator('[data-testid=commit-form]').count()).toBe(0);
    expect(partnerErrors).toEqual([]);
    await partner.context().close();
    await lead.reload();
    await lead.waitForSelector('[data-testid=commit-form]');
    expect(await lead.locator('[data-testid=commit-waiting]').count()).toBe(0);
    await lead.context().close();
  });
});
