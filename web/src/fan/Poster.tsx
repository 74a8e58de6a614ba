// An event poster: the browser picks the variant for the layout width from srcset (WebP
// where supported, JPEG otherwise) and loads it only near the viewport. Without a poster a
// quiet placeholder keeps the card's shape.

import type { Poster as PosterData } from '../api/types';

const PLACEHOLDER_TONES = 4;

/** The same event always gets the same placeholder colour; neighbours usually differ. */
function placeholderTone(title: string): number {
  let hash = 0;
  for (let i = 0; i < title.length; i += 1) hash = (hash * 31 + title.charCodeAt(i)) >>> 0;
  return hash % PLACEHOLDER_TONES;
}

export function Poster({ poster, title, sizes }: { poster: PosterData | null; title: string; sizes: string }) {
  if (!poster || poster.variants.length === 0) {
    return (
      <div class={`poster poster-placeholder poster-placeholder--${placeholderTone(title)}`} aria-hidden="true">
        <span class="poster-placeholder__initial">{title.trim().charAt(0).toUpperCase() || '♪'}</span>
      </div>
    );
  }
  const webp = poster.variants.filter((v) => v.type === 'image/webp');
  const jpeg = poster.variants.filter((v) => v.type !== 'image/webp');
  const srcset = (variants: PosterData['variants']) => variants.map((v) => `${v.url} ${v.width}w`).join(', ');
  const largest = jpeg[jpeg.length - 1] ?? poster.variants[poster.variants.length - 1];
  return (
    <picture class="poster">
      {webp.length ? <source type="image/webp" srcset={srcset(webp)} sizes={sizes} /> : null}
      <img
        src={poster.url}
        srcset={srcset(jpeg.length ? jpeg : poster.variants)}
        sizes={sizes}
        width={largest?.width}
        height={largest?.height}
        loading="lazy"
        decoding="async"
        alt={`Poster for ${title}`}
      />
    </picture>
  );
}
