// Multipart uploads (imports, a draw's zip to verify): one file per request streamed to a private temporary
// folder under a safe name that keeps the sender's extension; the caller removes the folder when done.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/auth.ts';
import { errorAnswer } from '../schemas.ts';

export interface Upload {
  /** The private folder holding the file (and whatever the caller unpacks there). */
  dir: string;
  path: string;
  /** The file name the sender gave, cleaned: shown in reports instead of the temporary path. */
  filename: string;
  cleanup(): void;
}

/** The OpenAPI body of a one-file multipart route (the file's part is named `file`). */
export function multipartBody(description: string) {
  return {
    content: {
      'multipart/form-data': {
        schema: {
          type: ['object', 'null'],
          properties: { file: { type: 'string', format: 'binary', description } },
        },
      },
    },
  } as const;
}

export const uploadErrors = {
  413: errorAnswer('文件过大 File too large'),
  415: errorAnswer('须为 multipart/form-data 上传 The request must be a multipart/form-data upload'),
} as const;

/** A sender's file name reduced to a plain base name (no folders, no control characters), or `fallback`. */
export function cleanFilename(name: string | undefined, fallback: string): string {
  const base = basename((name ?? '').replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f/:*?"<>|]/g, '_')
    .trim()
    .slice(-120);
  return base && base !== '.' && base !== '..' ? base : fallback;
}

/**
 * Streams the request's one file part to disk; 415 when the request is not multipart, 400 without a file,
 * 413 when the file passes `maxBytes` (the folder is removed before any of these is thrown).
 */
export async function receiveUpload(request: FastifyRequest, options: { maxBytes: number; fallbackName: string }): Promise<Upload> {
  if (!request.isMultipart())
    throw new HttpError(415, 'unsupported media type', '请以 multipart/form-data 上传文件（字段名 file） / upload the file as multipart/form-data (part name "file")');
  const dir = mkdtempSync(join(tmpdir(), 'fairdraw-upload-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const part = await request.file({ limits: { fileSize: options.maxBytes, files: 1, fields: 10, parts: 11 } });
    if (!part) throw new HttpError(400, 'no file', '请求中没有文件 / the request holds no file part');
    const filename = cleanFilename(part.filename, options.fallbackName);
    const path = join(dir, filename);
    await pipeline(part.file, createWriteStream(path));
    if (part.file.truncated)
      throw new HttpError(413, 'too large', `文件超过 ${options.maxBytes} 字节上限 / the file is larger than the ${options.maxBytes}-byte limit`);
    return { dir, path, filename, cleanup };
  } catch (err) {
    cleanup();
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new HttpError(413, 'too large', `文件超过 ${options.maxBytes} 字节上限 / the file is larger than the ${options.maxBytes}-byte limit`);
    throw err;
  }
}

/** Runs `use` on the request's one uploaded file (see receiveUpload) and removes the file's folder afterwards. */
export async function withUpload<T>(request: FastifyRequest, options: { maxBytes: number; fallbackName: string }, use: (upload: Upload) => Promise<T>): Promise<T> {
  const upload = await receiveUpload(request, options);
  try {
    return await use(upload);
  } finally {
    upload.cleanup();
  }
}
