/** `npm run bench -- --only b,c --clients 300`: the flags, their defaults, and --help. */
export interface Options {
  only: Set<string>;
  clients: number;
  durationS: number;
  warmupS: number;
  procs: number;
  rooms: number;
  roomSize: number;
  roomRate: number;
  traceRate: number;
  socketClients: number;
  events: number;
  eventIntervalMs: number;
  copies: number;
  knee: number[];
  kneeDurationS: number;
  /** Workload g: cold page loads of each kind, and the emulated network's speed (kbit/s each way). */
  pageLoads: number;
  pageKbps: number;
  /** Workload l: first visits (each with its revisit), on the network of --page-kbps. */
  visitLoads: number;
  /** Workload h: rows in the generated recommendations file. */
  recommendations: number;
  /** Workload k: timed runs of the diff after the first (cold) one. */
  diffRepeats: number;
  /** Workload v: versions made of the paper document, and how many times each read is timed. */
  versions: number;
  versionReads: number;
  /** Workload j: actions in the plan, recommendations linked from them, page loads and filter rounds measured. */
  tableActions: number;
  tableRecommendations: number;
  tableLoads: number;
  tableFilterRounds: number;
  profile: boolean;
  /** Where the JSON goes (default bench/results/latest.json). */
  out?: string;
  /** Start each step at once instead of waiting for a quiet machine. */
  noWait: boolean;
}

const defaults: Options = {
  only: new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'v']),
  clients: 1000,
  durationS: 20,
  warmupS: 2,
  procs: 3,
  rooms: 200,
  roomSize: 6,
  roomRate: 5,
  traceRate: 15_000,
  socketClients: 1000,
  events: 100,
  eventIntervalMs: 10,
  copies: 100,
  knee: [100, 200, 300, 500, 700, 1000],
  kneeDurationS: 10,
  pageLoads: 3,
  pageKbps: 400,
  visitLoads: 3,
  recommendations: 50_000,
  diffRepeats: 5,
  versions: 100,
  versionReads: 20,
  tableActions: 300,
  tableRecommendations: 2000,
  tableLoads: 5,
  tableFilterRounds: 10,
  profile: false,
  noWait: false,
};

export const usage = `npm run bench [-- flags]
  --only a,b,c,d,e,f,g,h,i,j,k,l,v  workloads to run (default: all)
  --clients N           plenary size for b and f (${defaults.clients}); N/10 type
  --duration S          measured seconds of b and c (${defaults.durationS}), after --warmup S (${defaults.warmupS})
  --procs P             load-generator processes (${defaults.procs})
  --rooms R --room-size K --room-rate U   workload c (${defaults.rooms} × ${defaults.roomSize} at ${defaults.roomRate}/s)
  --trace-rate U        paced replay rate of a, updates/s (${defaults.traceRate})
  --socket-clients N --events E --event-interval MS   workload d (${defaults.socketClients}, ${defaults.events}, ${defaults.eventIntervalMs})
  --copies C            size of e's big document, in copies of the paper (${defaults.copies})
  --knee N1,N2,…        plenary sizes tried for the knee (${defaults.knee.join(',')}); --knee-duration S (${defaults.kneeDurationS})
  --page-loads N --page-kbps K   workload g: N cold page loads of each kind (${defaults.pageLoads}) at K kbit/s (${defaults.pageKbps}, slow 3G)
  --visit-loads N       workload l: N first visits of the document page, each followed by a revisit (${defaults.visitLoads}), at --page-kbps
  --recommendations N   workload h: rows in the imported recommendations CSV (${defaults.recommendations})
  --diff-repeats N      workload k: timed diffs of the paper after the first (${defaults.diffRepeats})
  --versions N --version-reads R   workload v: N versions of the paper document (${defaults.versions}), each read timed R times (${defaults.versionReads})
  --table-actions N --table-recommendations R --table-loads L --table-rounds K   workload j: the plan table with N actions
                        linked to R recommendations (${defaults.tableActions}, ${defaults.tableRecommendations}), L cold loads (${defaults.tableLoads}), K filter rounds each (${defaults.tableFilterRounds})
  --profile             write V8 CPU profiles of the servers to bench/results/profiles/
  --out FILE            write the JSON there instead of bench/results/latest.json
  --no-wait             do not wait for a quiet machine before each step (figures will be pessimistic)`;

export function parseArgs(argv: string[]): Options {
  const o: Options = { ...defaults, only: new Set(defaults.only) };
  const numbers: Record<string, keyof Options> = {
    clients: 'clients', duration: 'durationS', warmup: 'warmupS', procs: 'procs', rooms: 'rooms', 'room-size': 'roomSize',
    'room-rate': 'roomRate', 'trace-rate': 'traceRate', 'socket-clients': 'socketClients', events: 'events',
    'event-interval': 'eventIntervalMs', copies: 'copies', 'knee-duration': 'kneeDurationS',
    'page-loads': 'pageLoads', 'page-kbps': 'pageKbps', 'visit-loads': 'visitLoads', recommendations: 'recommendations', 'diff-repeats': 'diffRepeats',
    versions: 'versions', 'version-reads': 'versionReads',
    'table-actions': 'tableActions', 'table-recommendations': 'tableRecommendations', 'table-loads': 'tableLoads', 'table-rounds': 'tableFilterRounds',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.replace(/^--/, '').split('=') as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === 'help' || flag === 'h') throw new UsageError(usage);
    else if (flag === 'profile') o.profile = true;
    else if (flag === 'no-wait') o.noWait = true;
    else if (flag === 'out') o.out = value();
    else if (flag === 'only') o.only = new Set(value().toLowerCase().split(',').map((s) => s.trim()).filter(Boolean));
    else if (flag === 'knee') o.knee = value().split(',').map(Number).sort((a, b) => a - b);
    else if (flag in numbers) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${flag} needs a number\n\n${usage}`);
      (o as unknown as Record<string, number>)[numbers[flag]!] = n;
    } else throw new UsageError(`unknown flag ${argv[i]}\n\n${usage}`);
  }
  for (const w of o.only) if (!'abcdefghijklv'.includes(w) || w.length !== 1) throw new UsageError(`unknown workload ${w}\n\n${usage}`);
  if (o.recommendations < 1) throw new UsageError(`--recommendations needs at least 1\n\n${usage}`);
  if (o.versions < 3 || o.versionReads < 1) throw new UsageError(`--versions needs at least 3, --version-reads at least 1\n\n${usage}`);
  if (o.pageLoads < 1 || o.pageKbps < 1 || o.visitLoads < 1) throw new UsageError(`--page-loads, --page-kbps and --visit-loads need at least 1\n\n${usage}`);
  if (o.tableActions < 1 || o.tableRecommendations < 1 || o.tableLoads < 1 || o.tableFilterRounds < 1)
    throw new UsageError(`--table-actions, --table-recommendations, --table-loads and --table-rounds need at least 1\n\n${usage}`);
  if (o.knee.some((n) => !Number.isInteger(n) || n < 10)) throw new UsageError(`--knee needs sizes of at least 10\n\n${usage}`);
  return o;
}

export class UsageError extends Error {}
