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
    return new ImportFileError(name, this.detail, this.detailZh);
  }
}
