// A command line as one string a POSIX shell reads back into the same argv: plain words stay bare, anything else
// goes in single quotes (a quote inside becomes '\'').
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export const shellLine = (argv: string[]) =>
  argv.map((a) => (PLAIN.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
