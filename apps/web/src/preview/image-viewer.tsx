import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/i18n.js';

/** The zoom steps, as a share of the picture's own size. */
const ZOOM_STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];

export type Zoom = 'fit' | number;

const nextStep = (current: number, direction: 1 | -1) =>
  direction === 1
    ? (ZOOM_STEPS.find((step) => step > current + 1e-9) ?? current)
    : (ZOOM_STEPS.findLast((step) => step < current - 1e-9) ?? current);

/**
 * A picture shown whole (fit) or at a chosen zoom, scrolling when it is larger than the view.
 * Buttons and the keys + − 0 change it; a new picture starts fitted again.
 */
export const ImageViewer = ({ src, alt }: { src: string; alt: string }) => {
  const { t } = useTranslation();
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [fitScale, setFitScale] = useState(1);
  const current = zoom === 'fit' ? fitScale : zoom;
  const zoomBy = (direction: 1 | -1) => setZoom(nextStep(current, direction));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === '+' || event.key === '=') zoomBy(1);
      else if (event.key === '-') zoomBy(-1);
      else if (event.key === '0') setZoom('fit');
      else return;
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  return (
    <div className="image-viewer">
      <div className="zoom-controls" role="group" aria-label={t('preview.zoom')}>
        <button
          type="button"
          className="button"
          aria-label={t('preview.zoomOut')}
          onClick={() => zoomBy(-1)}
        >
          −
        </button>
        <output className="zoom-level" aria-live="polite">
          {Math.round(current * 100)}%
        </output>
        <button
          type="button"
          className="button"
          aria-label={t('preview.zoomIn')}
          onClick={() => zoomBy(1)}
        >
          +
        </button>
        <button
          type="button"
          className="button"
          aria-pressed={zoom === 'fit'}
          onClick={() => setZoom('fit')}
        >
          {t('preview.fit')}
        </button>
      </div>
      {/* Focusable, so a zoomed picture can be scrolled from the keyboard. */}
      <div
        className={zoom === 'fit' ? 'image-stage fit' : 'image-stage'}
        tabIndex={0}
        role="region"
        aria-label={t('preview.zoomed', { name: alt, percent: Math.round(current * 100) })}
      >
        <img
          className="image-preview"
          src={src}
          alt={alt}
          draggable={false}
          style={
            zoom === 'fit' || !natural
              ? undefined
              : {
                  width: natural.width * zoom,
                  height: natural.height * zoom,
                  maxWidth: 'none',
                  maxHeight: 'none',
                }
          }
          onLoad={(event) => {
            const image = event.currentTarget;
            setNatural({ width: image.naturalWidth, height: image.naturalHeight });
            setFitScale(image.naturalWidth > 0 ? image.width / image.naturalWidth : 1);
          }}
        />
      </div>
    </div>
  );
};
