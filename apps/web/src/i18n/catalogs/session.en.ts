export const sessionEn = {
  checking: 'Checking your session…',
  retrying: 'Trying again every few seconds…',
};
