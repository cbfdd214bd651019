import type { NodeDto } from '@myfile/contract';

/** Larger PDFs are only offered in the browser's own viewer, not read whole into memory. */
export const PDF_INLINE_MAX_BYTES = 64 * 1024 * 1024;

export type PreviewKind = 'image' | 'audio' | 'video' | 'pdf' | 'markdown' | 'code' | 'text';

/** Extensions shown as highlighted code, with the highlight.js language each is read as. */
const codeLanguages: Record<string, string> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  json: 'json',
  css: 'css',
  scss: 'scss',
  html: 'xml',
  htm: 'xml',
  xml: 'xml',
  svg: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'ini',
  ini: 'ini',
  py: 'python',
  rb: 'ruby',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  php: 'php',
  sh: 'bash',
  bash: 'bash',
  sql: 'sql',
  diff: 'diff',
  swift: 'swift',
  lua: 'lua',
  pl: 'perl',
  r: 'r',
};

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/** The highlight.js language a file's name asks for, if it is code. */
export const codeLanguageOf = (name: string): string | undefined =>
  codeLanguages[extensionOf(name)];

/**
 * How a file is previewed, or null when it only downloads. Pictures, sound, video and PDFs go
 * by the server's sniffed type (it serves only those inline); text is read with a fetch and
 * drawn by the app, so Markdown and code are told apart by their names. HTML and SVG are shown
 * as their source, never rendered.
 */
export const previewKind = (file: Pick<NodeDto, 'name' | 'contentType'>): PreviewKind | null => {
  const type = file.contentType ?? '';
  if (/^image\/(?!svg)/.test(type)) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type === 'application/pdf') return 'pdf';
  const extension = extensionOf(file.name);
  const textual =
    type.startsWith('text/') || type === 'application/json' || type === 'image/svg+xml';
  if (!textual) return null;
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (codeLanguages[extension]) return 'code';
  return 'text';
};
