// Test support for upload routes: a one-file multipart/form-data body for app.inject (part name "file").

export function multipartFile(filename: string, content: Buffer | string, type = 'application/octet-stream'): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----fairdraw${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(content), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
