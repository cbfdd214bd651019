import { useState } from 'react';
import type { NodeDto } from '@myfile/contract';
import { useTranslation } from '../i18n/i18n.js';

const kindOf = (node: Pick<NodeDto, 'kind' | 'contentType'>) => {
  if (node.kind === 'folder') return 'folder';
  const type = node.contentType ?? '';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/') || type.startsWith('audio/')) return 'media';
  if (type === 'application/pdf') return 'pdf';
  if (type.startsWith('text/')) return 'text';
  return 'file';
};

const paths = {
  folder: 'M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  text: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 15h6M9 18h4',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9.5a1.5 1.5 0 1 0 0-.01',
  media: 'M4 5h16v14H4zM10 9v6l5-3z',
  pdf: 'M6 3h8l4 4v14H6zM14 3v4h4M9 13h2a1.5 1.5 0 0 1 0 3H9v-5',
} as const;

type IconNode = Pick<NodeDto, 'kind' | 'contentType'> &
  Partial<Pick<NodeDto, 'name' | 'thumbnailUrl'>>;

const Glyph = ({ node }: { node: IconNode }) => {
  const kind = kindOf(node);
  return (
    <svg className={`node-icon node-icon-${kind}`} viewBox="0 0 24 24" aria-hidden="true">
      <path d={paths[kind]} />
    </svg>
  );
};

/** A thumbnail that cannot load (signed out, deleted meanwhile) falls back to the glyph. */
const Thumbnail = ({ node, url }: { node: IconNode; url: string }) => {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  if (failed) return <Glyph node={node} />;
  return (
    <img
      className="node-icon node-thumbnail"
      src={url}
      alt={node.name ? t('files.thumbnailOf', { name: node.name }) : t('files.thumbnail')}
      loading="lazy"
      decoding="async"
      draggable={false}
      onError={() => setFailed(true)}
    />
  );
};

export const NodeIcon = ({ node }: { node: IconNode }) =>
  node.thumbnailUrl ? (
    // Keyed by URL: new content gets a fresh attempt even if the old picture had failed.
    <Thumbnail key={node.thumbnailUrl} node={node} url={node.thumbnailUrl} />
  ) : (
    <Glyph node={node} />
  );
