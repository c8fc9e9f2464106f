import { describe, expect, it } from 'vitest';
import { jpegName, scaledSize } from './evidence';

describe('photo downscaling', () => {
  it('fits the long side to 2000 px and keeps the aspect ratio, never enlarging', () => {
    expect(scaledSize(4032, 3024)).toEqual({ width: 2000, height: 1500 });
    expect(scaledSize(3024, 4032)).toEqual({ width: 1500, height: 2000 });
    expect(scaledSize(800, 600)).toEqual({ width: 800, height: 600 });
    expect(scaledSize(10000, 3)).toEqual({ width: 2000, height: 1 });
  });
  it('names the downscaled file .jpg', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg');
    expect(jpegName('现场.png')).toBe('现场.jpg');
    expect(jpegName('noext')).toBe('noext.jpg');
  });
});
