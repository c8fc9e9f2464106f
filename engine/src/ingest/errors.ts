// A problem with a whole import file (unreadable, empty, wrong columns or kind): nothing is imported.
import { EngineError } from '../kernel/errors.ts';

export class ImportFileError extends EngineError {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly detailZh: string,
  ) {
    super('invalid', 'import.invalid_file', { zh: `${file}: ${detailZh}`, en: detail }, { file });
  }

  /** The same problem told of `name` (an upload's own file name instead of its temporary path). */
  forFile(name: string): ImportFileError {
    // a reader's message (DuckDB's for Parquet) may quote the temporary path: the sender sees only its own file name
    const own = (text: string) => text.replaceAll(this.file, name);
    return new ImportFileError(name, own(this.detail), own(this.detailZh));
  }
}
