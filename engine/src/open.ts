// Opens the application database: migrations (in Db.open), then the reference data from data/reference.
import { Db, type DbOptions } from './db/duckdb.ts';
import { loadReference } from './reference/load.ts';

export async function openDatabase(options: DbOptions): Promise<Db> {
  const db = await Db.open(options);
  if (!options.readOnly) {
    try {
      await db.transaction((tx) => loadReference(tx));
    } catch (err) {
      db.close();
      throw err;
    }
  }
  return db;
}
