import { THUMBNAIL_MAX_SIDE } from '@parley/contracts';
import sharp from 'sharp';

/**
 * Decoding stops before it starts for images with more pixels than this (a decompression bomb:
 * a few KB of PNG can declare 50 000 × 50 000 pixels). 40 megapixels covers phone photos.
 */
export const IMAGE_INPUT_PIXELS_MAX = 40_000_000;

/** The only formats that are images here; SVG (it can carry script) and the rest are files. */
const IMAGE_CONTENT_TYPES = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
} as const;

export const THUMBNAIL_CONTENT_TYPE = 'image/webp';

/** Bytes `startsLikeImage` needs to see. */
export const IMAGE_SIGNATURE_BYTES = 12;

// libvips caches decoded images by default; uploads are decoded once, so the cache only holds memory.
sharp.cache(false);

export interface InspectedImage {
  contentType: string;
  /** As displayed, after EXIF orientation. */
  width: number;
  height: number;
  thumbnail: Buffer;
}

/**
 * Whether an upload is worth keeping in memory for `inspectImage`: the PNG, JPEG, GIF and WebP
 * signatures. Only a pre-filter (so a 25 MB zip is never buffered); whether it is an image is
 * decided by decoding it.
 */
export function startsLikeImage(head: Buffer): boolean {
  const ascii = head.toString('latin1');
  return (
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ||
    head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) ||
    ascii.startsWith('GIF87a') ||
    ascii.startsWith('GIF89a') ||
    (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP')
  );
}

/**
 * Decides from the content alone whether this is a PNG, JPEG, GIF or WebP image — libvips picks
 * its decoder by signature and must decode the whole first frame to make the thumbnail, so a PNG
 * header on an HTML body is not an image — and makes a thumbnail of at most
 * `THUMBNAIL_MAX_SIDE` px. `null`: not one of those images (or too large to decode), so a file.
 */
export async function inspectImage(content: Buffer): Promise<InspectedImage | null> {
  try {
    const image = sharp(content, { limitInputPixels: IMAGE_INPUT_PIXELS_MAX, failOn: 'error' });
    const metadata = await image.metadata();
    if (!Object.hasOwn(IMAGE_CONTENT_TYPES, metadata.format)) return null;
    const format = metadata.format as keyof typeof IMAGE_CONTENT_TYPES;
    const thumbnail = await image
      .autoOrient()
      .resize(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp()
      .toBuffer();
    // An animated image's height is all its frames stacked; one frame is what is shown.
    const frameHeight = metadata.pageHeight ?? metadata.height;
    const rotated = metadata.autoOrient.width !== metadata.width;
    return {
      contentType: IMAGE_CONTENT_TYPES[format],
      width: metadata.autoOrient.width,
      height: rotated ? metadata.autoOrient.height : frameHeight,
      thumbnail,
    };
  } catch {
    // Corrupt, truncated, spoofed or over the pixel limit: served as an opaque file instead.
    return null;
  }
}
