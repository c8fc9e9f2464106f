// Analysts' notebooks (/api/notebooks): the list, one notebook run live and read-only (each cell with its result,
// chart spec with data inlined, timing and error), and the same run as a self-contained HTML file.
import type { FastifyPluginAsync } from 'fastify';
import { listNotebooks, loadNotebook, NotebookNotFoundError, NOTEBOOKS_DIR, renderNotebookHtml, runNotebook, type NotebookRun } from '../../notebooks/index.ts';
import { errorResponse, HttpError } from '../plugins/auth.ts';

const READERS = ['admin', 'analyst', 'leader'] as const;
const TAGS = ['notebooks'];

export interface NotebookRouteOptions {
  /** The notebooks folder (default notebooks/ in the repository). */
  dir?: string;
}

const nameParam = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$', description: '笔记本名（notebooks/ 下的文件名去掉 .md） notebook name: its file name in notebooks/ without .md' } },
} as const;

const notFound = { ...errorResponse, description: '没有这个笔记本 No such notebook' };

const entrySchema = {
  type: 'object',
  required: ['name', 'file', 'title', 'summary', 'queries', 'charts'],
  properties: {
    name: { type: 'string' },
    file: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    queries: { type: 'integer', description: 'sql 代码块数 sql cells' },
    charts: { type: 'integer', description: '图表数 vega-lite cells' },
  },
} as const;

const cellError = {
  type: ['object', 'null'],
  required: ['line', 'message'],
  properties: { line: { type: 'integer' }, message: { type: 'string', description: '“notebooks/NAME.md:LINE: 问题” the file, line and what is wrong' } },
} as const;

const cellSchema = {
  description: '一个单元：markdown（html）、sql（列、行、计时、错误）或 chart（数据已内嵌的 Vega-Lite 规格） One cell: prose, a query result or a chart',
  type: 'object',
  required: ['kind', 'index', 'line'],
  properties: {
    kind: { type: 'string', enum: ['markdown', 'sql', 'chart'] },
    index: { type: 'integer' },
    line: { type: 'integer', description: '单元在文件中的起始行 the line the cell starts on' },
    html: { type: 'string', description: 'markdown: 渲染后的 HTML（原始 HTML 已转义） rendered prose, raw HTML escaped' },
    name: { type: ['string', 'null'] },
    hidden: { type: 'boolean', description: 'sql: hidden 单元只留给后面的查询，不返回行 kept for later cells, rows not sent' },
    sql: { type: 'string' },
    columns: {
      type: 'array',
      items: { type: 'object', required: ['name', 'type', 'numeric'], properties: { name: { type: 'string' }, type: { type: 'string' }, numeric: { type: 'boolean' } } },
    },
    rows: { type: 'array', items: { type: 'object', additionalProperties: true } },
    rowCount: { type: 'integer' },
    capped: { type: 'boolean', description: '结果超过行数上限，只返回前 rowLimit 行 more rows than rowLimit: only the first are here' },
    rowLimit: { type: 'integer' },
    dataNames: { type: 'array', items: { type: 'string' } },
    spec: { type: ['object', 'null'], additionalProperties: true, description: 'chart: Vega-Lite 规格，所用结果内嵌于 datasets the spec with its results inlined as datasets' },
    source: { type: 'string' },
    warnings: { type: 'array', items: { type: 'string' } },
    elapsedMs: { type: 'number' },
    error: cellError,
  },
} as const;

const runSchema = {
  type: 'object',
  required: ['name', 'file', 'title', 'summary', 'ranAt', 'elapsedMs', 'rowLimit', 'cells', 'counts'],
  properties: {
    name: { type: 'string' },
    file: { type: 'string' },
    title: { type: 'string' },
    summary: { type: 'string' },
    ranAt: { type: 'string', format: 'date-time' },
    elapsedMs: { type: 'number' },
    rowLimit: { type: 'integer' },
    cells: { type: 'array', items: cellSchema },
    counts: {
      type: 'object',
      required: ['queries', 'charts', 'rows', 'errors'],
      properties: { queries: { type: 'integer' }, charts: { type: 'integer' }, rows: { type: 'integer' }, errors: { type: 'integer' } },
    },
  },
} as const;

export const notebookRoutes: FastifyPluginAsync<NotebookRouteOptions> = async (app, options) => {
  const dir = options.dir ?? NOTEBOOKS_DIR;

  /** Runs the notebook the listing calls `name` (a name is never used as a path), read-only. */
  async function run(name: string): Promise<NotebookRun> {
    try {
      return await runNotebook(app.db, loadNotebook(name, dir));
    } catch (err) {
      if (err instanceof NotebookNotFoundError) throw new HttpError(404, 'not found', err.message);
      throw err;
    }
  }

  app.get(
    '/notebooks',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '笔记本列表 The analysts\' notebooks with their titles',
        response: { 200: { type: 'object', required: ['notebooks'], properties: { notebooks: { type: 'array', items: entrySchema } } } },
      },
    },
    async () => ({ notebooks: listNotebooks(dir) }),
  );

  app.get<{ Params: { name: string } }>(
    '/notebooks/:name',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '运行笔记本（只读） Run a notebook read-only: every cell with its result, chart specs with data inlined, timings, errors with their line',
        params: nameParam,
        response: { 200: runSchema, 404: notFound },
      },
    },
    async (request) => run(request.params.name),
  );

  app.get<{ Params: { name: string } }>(
    '/notebooks/:name/html',
    {
      config: { access: READERS },
      schema: {
        tags: TAGS,
        summary: '笔记本 HTML 文件 The notebook run read-only as one self-contained HTML file (vega bundles and data inlined, works offline)',
        params: nameParam,
        response: { 200: { description: 'text/html 附件 an HTML attachment', type: 'string' }, 404: notFound },
      },
    },
    async (request, reply) => {
      const html = renderNotebookHtml(await run(request.params.name));
      return reply.type('text/html; charset=utf-8').header('content-disposition', `attachment; filename="${request.params.name}.html"`).send(html);
    },
  );
};
