import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { getFreePort, stopChild } from './s3-server.js';

/** Debian's nginx (`apt-get install -y nginx-light`), or undefined when it is not installed. */
export const findNginx = (): string | undefined =>
  ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => existsSync(candidate));

/**
 * The `internal` location that serves the disk store's blobs for X-Accel-Redirect answers, as
 * docs/deploy.md gives it. On an internal redirect nginx keeps only a few of the app's headers
 * (Content-Type, Content-Disposition, Cache-Control, Accept-Ranges among them): the others the
 * app decided are put back from the upstream's, and nginx's own validators are switched off so
 * it never answers a conditional request or a range on the app's behalf.
 */
export const accelRedirectLocation = ({ prefix, root }: { prefix: string; root: string }) => `
    location ${prefix} {
        internal;
        alias ${root}/;
        etag off;
        if_modified_since off;
        max_ranges 0;
        add_header Last-Modified "";
        add_header ETag $upstream_http_etag always;
        add_header X-Content-Type-Options $upstream_http_x_content_type_options always;
        add_header Content-Security-Policy $upstream_http_content_security_policy always;
        add_header Cross-Origin-Resource-Policy $upstream_http_cross_origin_resource_policy always;
        add_header Referrer-Policy $upstream_http_referrer_policy always;
        add_header X-Frame-Options $upstream_http_x_frame_options always;
    }`;

export type Nginx = { origin: string; errorLog(): Promise<string>; close(): Promise<void> };

/**
 * nginx in the foreground under `dir` with one server block holding `locations`; resolves once
 * it answers. Run as root its worker would drop to nobody, who cannot read 0700 data dirs.
 */
export const startNginx = async ({
  binary,
  dir,
  locations,
}: {
  binary: string;
  dir: string;
  locations: string;
}): Promise<Nginx> => {
  const prefix = path.join(dir, 'nginx');
  await fs.mkdir(path.join(prefix, 'logs'), { recursive: true });
  const port = await getFreePort();
  const conf = path.join(prefix, 'nginx.conf');
  const errorLogPath = path.join(prefix, 'logs', 'error.log');
  await fs.writeFile(
    conf,
    `${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${errorLogPath};
events { worker_connections 64; }
http {
    access_log off; sendfile on; tcp_nopush on;
    default_type application/octet-stream;
    client_body_temp_path ${prefix}; proxy_temp_path ${prefix}; fastcgi_temp_path ${prefix};
    uwsgi_temp_path ${prefix}; scgi_temp_path ${prefix};
    server {
        listen 127.0.0.1:${port};
        ${locations}
    }
}
`,
  );
  const child = spawn(binary, ['-p', prefix, '-c', conf], { stdio: 'ignore' });
  const errorLog = () => fs.readFile(errorLogPath, 'utf8').catch(() => '');
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${await errorLog()}`);
    const up = await fetch(`${origin}/`).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    if (up) break;
    if (attempt > 100) {
      await stopChild(child);
      throw new Error(`nginx did not answer: ${await errorLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { origin, errorLog, close: () => stopChild(child) };
};
