import type { NodeDto } from '@myfile/contract';

/** What people call a file by its extension; the sniffed type only when the name says nothing. */
const byExtension: Record<string, string> = {
  txt: 'Plain text',
  md: 'Markdown',
  markdown: 'Markdown',
  json: 'JSON',
  csv: 'CSV spreadsheet',
  tsv: 'TSV spreadsheet',
  xml: 'XML',
  yaml: 'YAML',
  yml: 'YAML',
  toml: 'TOML',
  log: 'Log file',
  html: 'HTML page',
  htm: 'HTML page',
  css: 'CSS stylesheet',
  js: 'JavaScript',
  mjs: 'JavaScript',
  ts: 'TypeScript',
  tsx: 'TypeScript',
  jsx: 'JavaScript',
  py: 'Python',
  rb: 'Ruby',
  go: 'Go',
  rs: 'Rust',
  java: 'Java',
  c: 'C source',
  h: 'C header',
  cpp: 'C++ source',
  sh: 'Shell script',
  sql: 'SQL',
  pdf: 'PDF document',
  doc: 'Word document',
  docx: 'Word document',
  odt: 'OpenDocument text',
  xls: 'Excel spreadsheet',
  xlsx: 'Excel spreadsheet',
  ods: 'OpenDocument spreadsheet',
  ppt: 'PowerPoint presentation',
  pptx: 'PowerPoint presentation',
  odp: 'OpenDocument presentation',
  rtf: 'Rich text',
  epub: 'E-book',
  png: 'PNG image',
  jpg: 'JPEG image',
  jpeg: 'JPEG image',
  gif: 'GIF image',
  webp: 'WebP image',
  avif: 'AVIF image',
  heic: 'HEIC image',
  svg: 'SVG image',
  bmp: 'Bitmap image',
  tif: 'TIFF image',
  tiff: 'TIFF image',
  ico: 'Icon',
  mp3: 'MP3 audio',
  wav: 'WAV audio',
  flac: 'FLAC audio',
  ogg: 'Ogg audio',
  m4a: 'AAC audio',
  mp4: 'MP4 video',
  mov: 'QuickTime video',
  mkv: 'Matroska video',
  webm: 'WebM video',
  avi: 'AVI video',
  zip: 'Zip archive',
  tar: 'Tar archive',
  gz: 'Gzip archive',
  tgz: 'Gzip archive',
  '7z': '7-Zip archive',
  rar: 'RAR archive',
  dmg: 'Disk image',
  iso: 'Disk image',
  exe: 'Windows program',
  apk: 'Android package',
  ttf: 'Font',
  otf: 'Font',
  woff2: 'Font',
};

const byType: [RegExp, string][] = [
  [/^application\/pdf$/, 'PDF document'],
  [/^application\/zip$/, 'Zip archive'],
  [/^application\/json$/, 'JSON'],
  [/^image\//, 'Image'],
  [/^video\//, 'Video'],
  [/^audio\//, 'Audio'],
  [/^text\//, 'Text'],
];

export const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** "Markdown", "PNG image", "Folder": the Type column in words rather than a raw MIME type. */
export const humanKind = (node: Pick<NodeDto, 'kind' | 'name' | 'contentType'>) => {
  if (node.kind === 'folder') return 'Folder';
  const extension = extensionOf(node.name);
  const known = byExtension[extension];
  if (known) return known;
  const type = node.contentType?.split(';')[0]?.trim() ?? '';
  const sniffed = byType.find(([pattern]) => pattern.test(type))?.[1];
  if (sniffed) return sniffed;
  return extension && extension.length <= 8 ? `${extension.toUpperCase()} file` : 'File';
};
