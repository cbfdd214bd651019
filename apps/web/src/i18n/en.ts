/**
 * The English catalog: the reference every other language must match key for key (the
 * `Catalog` type makes a missing German string a type error). Plurals follow i18next's CLDR
 * suffixes (`_one`, `_other`); `{{n, number}}` formats a count the language's way.
 */
export const en = {
  app: {
    name: 'My File',
    skipToContent: 'Skip to content',
    language: 'Language',
  },
  common: {
    loading: 'Loading…',
  },
  nav: {
    main: 'Main',
    files: 'Files',
    recent: 'Recent',
    starred: 'Starred',
    sharedWithMe: 'Shared with me',
    sharedByMe: 'Shared by me',
    trash: 'Trash',
    account: 'Account',
    admin: 'Admin',
    signOut: 'Sign out',
  },
  notFound: {
    title: 'Page not found',
    body: 'There is nothing at this address.',
    goHome: 'Go to your files',
  },
  usage: {
    storageUsed: 'Storage used',
    used: '{{used}} of {{quota}} used',
    files_one: '{{count, number}} file',
    files_other: '{{count, number}} files',
    inTrash: '{{size}} in the trash',
  },
};

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };
export type Catalog = Strings<typeof en>;
