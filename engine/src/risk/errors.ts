// What a fit or a score cannot do with the data at hand yet: no data at all, no year to train or to test on. A state of
// the database (a conflict), not a fault: import more results and try again.
import { EngineError, type Bilingual, type ErrorParams } from '../kernel/errors.ts';

export type RiskDataCode = 'model.no_data' | 'model.no_training_year' | 'model.no_test_year';

export class RiskDataError extends EngineError {
  constructor(code: RiskDataCode, text: Bilingual, params: ErrorParams = {}) {
    super('conflict', code, text, params);
  }
}
