// A draw's six published files (fd1 section 6) as one zip: packed from an export folder for download, and an
// uploaded zip unpacked into a folder for the verifier, refusing anything but the six files (no paths, no bombs).
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import yazl from 'yazl';
import yauzl from 'yauzl';
import { bilingual, EngineError } from '../kernel/errors.ts';
import { DRAW_FILES, PUBLIC_FILES } from './files.ts';

/** A zip entry or the upload as a whole that the verifier cannot take (API: 400). */
export class DrawZipError extends EngineError {
  constructor(message: string) {
    super('invalid', 'draw.zip_invalid', bilingual(message));
  }
}

/** The package files of `dir` (the six by default) as a zip stream, at the zip's root, time-stamped `mtime` (the draw time). */
export function zipDrawFiles(dir: string, mtime: Date, files: readonly string[] = DRAW_FILES): Readable {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as Readable;
  // yazl reports a file it cannot read on the ZipFile itself; end the download with that error instead of the process.
  zip.on('error', (err: Error) => output.destroy(err));
  for (const file of files) zip.addFile(join(dir, file), file, { mtime, mode: 0o100644 });
  zip.end();
  return output;
}

export interface UnzipLimits {
  /** Largest sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number;
}

/**
 * Unpacks the six files of an uploaded zip (or an fd2 public package: manifest.json, selected.csv) into `dir`. The
 * files may sit at the root or together in one folder;
 * other files, duplicates, links, encrypted entries and anything larger than the limit are refused.
 */
export async function unzipDrawFiles(zipPath: string, dir: string, limits: UnzipLimits): Promise<string[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true });
  } catch (err) {
    throw new DrawZipError(`不是有效的 zip 文件 / not a readable zip file: ${(err as Error).message}`);
  }
  const wanted = new Set<string>([...DRAW_FILES, ...PUBLIC_FILES]);
  const written: string[] = [];
  let folder: string | undefined;
  let totalBytes = 0;
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (!entry) break;
      const name = entry.fileName;
      if (name.endsWith('/')) continue; // a folder entry
      const slash = name.lastIndexOf('/');
      const base = name.slice(slash + 1);
      const parent = slash < 0 ? '' : name.slice(0, slash);
      if (!wanted.has(base) || parent.includes('/') || parent === '..' || parent === '.')
        throw new DrawZipError(`zip 含有不属于抽取公开文件的条目 “${name}” / the zip holds "${name}", which is not one of the six published files (${DRAW_FILES.join(', ')}) or of the public package (${PUBLIC_FILES.join(', ')})`);
      if (folder !== undefined && folder !== parent)
        throw new DrawZipError(`六个文件须位于同一目录 / the six files must sit together: "${name}" is not in "${folder || '(root)'}"`);
      folder = parent;
      if (written.includes(base)) throw new DrawZipError(`zip 中 ${base} 出现两次 / ${base} appears twice in the zip`);
      if (entry.isEncrypted()) throw new DrawZipError(`${base} 已加密 / ${base} is encrypted`);
      totalBytes += entry.uncompressedSize;
      if (totalBytes > limits.maxUncompressedBytes)
        throw new DrawZipError(`解压后超过 ${limits.maxUncompressedBytes} 字节上限 / the files unpack to more than ${limits.maxUncompressedBytes} bytes`);
      const stream = await zip.openReadStreamPromise(entry);
      await pipeline(stream, byteLimit(base, entry.uncompressedSize), createWriteStream(join(dir, base)));
      written.push(base);
    }
  } finally {
    zip.close();
  }
  return written;
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry) => done(() => resolve(entry));
    const onEnd = () => done(() => resolve(undefined));
    const onError = (err: Error) => done(() => reject(new DrawZipError(`zip 文件损坏 / the zip is damaged: ${err.message}`)));
    const done = (then: () => void) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      then();
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/** Stops a stream that yields more bytes than its entry declared (yauzl checks too; this guards the disk). */
function byteLimit(file: string, declared: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > declared) callback(new DrawZipError(`${file} 的内容多于声明的大小 / ${file} holds more bytes than its entry declares`));
      else callback(null, chunk);
    },
  });
}
