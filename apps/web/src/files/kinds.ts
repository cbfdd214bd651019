import type { NodeDto } from '@myfile/contract';
import type { en } from '../i18n/en.js';
import { t } from '../i18n/i18n.js';

/**
 * A kind is either a word to translate (a key of files.kind) or a format's own name, which
 * reads the same in every language (Markdown, JSON, Python).
 */
type Kind = { key: Exclude<keyof typeof en.files.kind, 'extensionFile'> } | { name: string };

const said = (kind: Kind) => ('key' in kind ? t(`files.kind.${kind.key}`) : kind.name);

/** What people call a file by its extension; the sniffed type only when the name says nothing. */
const byExtension: Record<string, Kind> = {
  txt: { key: 'plainText' },
  md: { name: 'Markdown' },
  markdown: { name: 'Markdown' },
  json: { name: 'JSON' },
  csv: { key: 'csv' },
  tsv: { key: 'tsv' },
  xml: { name: 'XML' },
  yaml: { name: 'YAML' },
  yml: { name: 'YAML' },
  toml: { name: 'TOML' },
  log: { key: 'log' },
  html: { key: 'html' },
  htm: { key: 'html' },
  css: { key: 'css' },
  js: { name: 'JavaScript' },
  mjs: { name: 'JavaScript' },
  ts: { name: 'TypeScript' },
  tsx: { name: 'TypeScript' },
  jsx: { name: 'JavaScript' },
  py: { name: 'Python' },
  rb: { name: 'Ruby' },
  go: { name: 'Go' },
  rs: { name: 'Rust' },
  java: { name: 'Java' },
  c: { key: 'cSource' },
  h: { key: 'cHeader' },
  cpp: { key: 'cppSource' },
  sh: { key: 'shell' },
  sql: { name: 'SQL' },
  pdf: { key: 'pdf' },
  doc: { key: 'word' },
  docx: { key: 'word' },
  odt: { key: 'odt' },
  xls: { key: 'excel' },
  xlsx: { key: 'excel' },
  ods: { key: 'ods' },
  ppt: { key: 'powerPoint' },
  pptx: { key: 'powerPoint' },
  odp: { key: 'odp' },
  rtf: { key: 'richText' },
  epub: { key: 'ebook' },
  png: { key: 'png' },
  jpg: { key: 'jpeg' },
  jpeg: { key: 'jpeg' },
  gif: { key: 'gif' },
  webp: { key: 'webp' },
  avif: { key: 'avif' },
  heic: { key: 'heic' },
  svg: { key: 'svg' },
  bmp: { key: 'bitmap' },
  tif: { key: 'tiff' },
  tiff: { key: 'tiff' },
  ico: { key: 'icon' },
  mp3: { key: 'mp3' },
  wav: { key: 'wav' },
  flac: { key: 'flac' },
  ogg: { key: 'ogg' },
  m4a: { key: 'aac' },
  mp4: { key: 'mp4' },
  mov: { key: 'quickTime' },
  mkv: { key: 'matroska' },
  webm: { key: 'webm' },
  avi: { key: 'avi' },
  zip: { key: 'zip' },
  tar: { key: 'tar' },
  gz: { key: 'gzip' },
  tgz: { key: 'gzip' },
  '7z': { key: 'sevenZip' },
  rar: { key: 'rar' },
  dmg: { key: 'diskImage' },
  iso: { key: 'diskImage' },
  exe: { key: 'windowsProgram' },
  apk: { key: 'androidPackage' },
  ttf: { key: 'font' },
  otf: { key: 'font' },
  woff2: { key: 'font' },
};

const byType: [RegExp, Kind][] = [
  [/^application\/pdf$/, { key: 'pdf' }],
  [/^application\/zip$/, { key: 'zip' }],
  [/^application\/json$/, { name: 'JSON' }],
  [/^image\//, { key: 'image' }],
  [/^video\//, { key: 'video' }],
  [/^audio\//, { key: 'audio' }],
  [/^text\//, { key: 'text' }],
];

export const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** "Markdown", "PNG image", "Folder": the Type column in words rather than a raw MIME type. */
export const humanKind = (node: Pick<NodeDto, 'kind' | 'name' | 'contentType'>) => {
  if (node.kind === 'folder') return t('files.kind.folder');
  const extension = extensionOf(node.name);
  const known = byExtension[extension];
  if (known) return said(known);
  const type = node.contentType?.split(';')[0]?.trim() ?? '';
  const sniffed = byType.find(([pattern]) => pattern.test(type))?.[1];
  if (sniffed) return said(sniffed);
  return extension && extension.length <= 8
    ? t('files.kind.extensionFile', { extension: extension.toUpperCase() })
    : t('files.kind.file');
};
