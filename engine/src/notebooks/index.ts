// Analysts' notebooks: Markdown with read-only sql cells and vega-lite charts — parse, run, render to HTML.
export { parseNotebook, dataNamesOf, RESULT_NAME, type Notebook, type Cell, type SqlCell, type ChartCell, type MarkdownCell, type CellProblem } from './parse.ts';
export { runNotebook, statementSpans, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, type NotebookRun, type CellRun, type SqlCellRun, type ChartCellRun, type MarkdownCellRun, type CellError, type ResultColumn, type ResultRow, type RunOptions } from './run.ts';
export { renderNotebookHtml, HTML_TABLE_ROWS } from './render.ts';
export { markdownToHtml, escapeHtml } from './markdown.ts';
export { NotebookReplica, PRIVATE_TABLES, PRIVATE_COLUMNS } from './replica.ts';
export { listNotebooks, loadNotebook, loadNotebookFile, notebookNames, NotebookNotFoundError, NOTEBOOKS_DIR, type NotebookEntry } from './library.ts';
