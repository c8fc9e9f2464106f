// Analysts' notebooks (/api/notebooks): the list, one notebook run live and read-only (each cell with its result,
// chart spec with data inlined, timing and error), and the same run as a self-contained HTML file.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '../../kernel/schema.ts';
import { listNotebooks, loadNotebook, NOTEBOOKS_DIR, NotebookReplica, renderNotebookHtml } from '../../notebooks/index.ts';
import { NotebookEntry, NotebookRun } from '../../notebooks/schemas.ts';
import { errorAnswer } from '../schemas.ts';
import { LEADERS } from '../roles.ts';
import { routesTagged } from '../route.ts';

const route = routesTagged('notebooks');

export interface NotebookRouteOptions {
  /** The notebooks folder (default notebooks/ in the repository). */
  dir?: string;
}

const NameParams = Type.Object({
  name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$', description: '笔记本名（notebooks/ 下的文件名去掉 .md） notebook name: its file name in notebooks/ without .md' }),
});
const notFound = errorAnswer('没有这个笔记本 No such notebook');

export const notebookRoutes: FastifyPluginAsyncTypebox<NotebookRouteOptions> = async (app, options) => {
  const dir = options.dir ?? NOTEBOOKS_DIR;
  // Notebook SQL runs on a sandboxed replica of the analytic tables, never on the engine's database (replica.ts).
  const replica = new NotebookReplica(app.db);
  app.addHook('onClose', async () => replica.close());

  app.get('/notebooks', route(LEADERS, {
    summary: '笔记本列表 The analysts\' notebooks with their titles',
    response: { 200: Type.Object({ notebooks: Type.Array(NotebookEntry) }) },
  }), async () => ({ notebooks: listNotebooks(dir) }));

  // The name is matched against the folder's listing, never joined into a path.
  app.get('/notebooks/:name', route(LEADERS, {
    summary: '运行笔记本（只读） Run a notebook read-only: every cell with its result, chart specs with data inlined, timings, errors with their line',
    params: NameParams,
    response: { 200: NotebookRun, 404: notFound },
  }), async (request) => replica.run(loadNotebook(request.params.name, dir)));

  app.get('/notebooks/:name/html', route(LEADERS, {
    summary: '笔记本 HTML 文件 The notebook run read-only as one self-contained HTML file (vega bundles and data inlined, works offline)',
    params: NameParams,
    querystring: Type.Object({
      lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')], { description: '只保留该语言（默认中英对照） one language only (default: both)' })),
    }),
    response: { 200: Type.String({ description: 'text/html 附件 an HTML attachment' }), 404: notFound },
  }), async (request, reply) => {
    const html = renderNotebookHtml(await replica.run(loadNotebook(request.params.name, dir)), { lang: request.query.lang });
    return reply.type('text/html; charset=utf-8').header('content-disposition', `attachment; filename="${request.params.name}.html"`).send(html);
  });
};
