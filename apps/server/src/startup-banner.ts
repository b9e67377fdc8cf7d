export interface StartupBannerOptions {
  url: string;
  /** Where the data lives, as `describeDatabase` says it. */
  database: string;
  /** The admin token made for the embedded database, and the file that keeps it; none when `ADMIN_TOKEN` is set. */
  generated?: { token: string; file: string } | undefined;
  /** Whether stdout is a terminal. */
  terminal: boolean;
  /** The admin console's first page; none when `CONSOLE_ENABLED=false`. */
  consoleUrl?: string | undefined;
}

/**
 * The lines the server prints once it listens: its URL and a ready `curl`. A generated token is
 * printed only to a terminal: elsewhere (a container, a CI job) stdout is the log, kept and shipped
 * far beyond the machine, so the `curl` reads the token from its file instead.
 *
 * @example
 * process.stdout.write(startupBanner({ url, database, generated, terminal: process.stdout.isTTY === true }));
 */
export function startupBanner(options: StartupBannerOptions): string {
  const { url, database, generated, terminal, consoleUrl } = options;
  const tokenArgument = !generated
    ? `'x-sheen-admin-token: <one of ADMIN_TOKEN>'`
    : terminal
      ? `'x-sheen-admin-token: ${generated.token}'`
      : `"x-sheen-admin-token: $(cat ${shellQuote(generated.file)})"`;
  const lines = [
    `Run Hub Admin API listening on ${url} (${database})`,
    ...(consoleUrl ? [`  admin console: ${consoleUrl} (sign in with the admin token)`] : []),
    `  try: curl -H ${tokenArgument} '${url}/v1/admin/inhouse/workflow-runs?limit=5'`,
    ...(generated ? [`  the admin token is kept in ${generated.file} (set ADMIN_TOKEN to choose your own)`] : []),
  ];
  return `\n${lines.join('\n')}\n`;
}

/** One shell word, whatever the path holds (spaces, quotes). */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
