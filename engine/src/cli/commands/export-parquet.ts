// `fairdraw export-parquet DIR`: the object directory and every draw's frozen population as Parquet, partitioned by city.
import type { Command } from 'commander';
import { withDb } from '../db.ts';
import { dbCommand } from '../options.ts';
import { exportParquet } from '../../cluster/parquet.ts';

export function exportParquetCommand(program: Command): void {
  dbCommand(program, 'export-parquet')
    .description('导出名录与冻结总体为按城市分区的 Parquet / write the object directory and every draw\'s frozen population as Parquet partitioned by city')
    .argument('<dir>', 'output folder: objects/city_code=…/ and population/population_id=…/city_code=…/ are replaced')
    .action(async (dir: string, flags: { db?: string; json?: boolean }) => {
      const written = await withDb(flags.db, (db) => exportParquet(db, dir), { readOnly: true });
      if (flags.json) return void console.log(JSON.stringify(written, null, 2));
      console.log(`${written.dir}: ${written.objects.toLocaleString('en-US')} objects, ${written.populationRows.toLocaleString('en-US')} population rows of ${written.populations} draws`);
    });
}
