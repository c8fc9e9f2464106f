// Photos are downscaled in the browser before they are sent: a phone's 12-megapixel photo (4-6 MB) becomes a JPEG of
// at most 2000 px on its long side (about 0.3-0.8 MB), quick to send from the field and enough to read a licence or a
// label. PDFs and small images go as they are; what the browser cannot decode goes as it is and the server judges it.

/** The long side of a sent photo, in pixels. */
export const PHOTO_MAX_EDGE = 2000;
/** Images under this size and edge are sent untouched. */
const KEEP_BYTES = 1_500_000;
const KEPT_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** The size that fits `maxEdge` on the long side, keeping the aspect ratio (never enlarged). */
export function scaledSize(width: number, height: number, maxEdge = PHOTO_MAX_EDGE): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The name of the downscaled file: the same base name with `.jpg`. */
export const jpegName = (name: string): string => `${name.replace(/\.[^./]+$/, '') || 'photo'}.jpg`;

/** The file to send for `file`: downscaled to a JPEG when it is a large or oversized image the browser can decode. */
export async function preparePhoto(file: File): Promise<{ blob: Blob; name: string }> {
  if (!file.type.startsWith('image/')) return { blob: file, name: file.name };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { blob: file, name: file.name };
  }
  const size = scaledSize(bitmap.width, bitmap.height);
  if (size.width === bitmap.width && file.size <= KEEP_BYTES && KEPT_TYPES.includes(file.type)) {
    bitmap.close();
    return { blob: file, name: file.name };
  }
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
  return blob ? { blob, name: jpegName(file.name) } : { blob: file, name: file.name };
}
