import type * as Y from 'yjs';
import type { Consultation, DocumentMeta } from '../../../shared/schemas.ts';
import type { RecommendationSummary } from '../../../shared/recommendations.ts';
import { groupColours } from '../../../shared/groups.ts';
import { readPlan, type PlanSnapshot } from '../../../shared/plan-read.ts';
import { computeCoverage, positionsByAction, type Coverage } from '../../../shared/coverage.ts';
import { api, toApiError, type ApiError } from './api.ts';
import { CollabSession } from './collab.svelte.ts';
import { CommentThreads } from './comments.svelte.ts';
import { watchConsultation } from './live.ts';
import { publishedUser } from './people.ts';
import { recommendationsApi } from './recommendations-api.ts';
import { session } from './session.svelte.ts';

/**
 * Everything the plan's table and coverage view show, kept live: the plan as
 * the shared Yjs document holds it (read again after every change, at most
 * once a frame), the recommendations register in short (fetched again when
 * the consultation's room says it changed), and the comment threads with
 * their positions. The views edit through `fragment`, the same live document
 * the editor writes to, so every edit merges as any other does.
 */
export class PlanData {
  #meta = $state.raw<DocumentMeta | null>(null);
  #consultation = $state.raw<Consultation | null>(null);
  #error = $state.raw<ApiError | null>(null);
  #registerError = $state.raw<ApiError | null>(null);
  #plan = $state.raw<PlanSnapshot>({ goals: [], actions: [] });
  #register = $state.raw<RecommendationSummary[]>([]);
  #registerLoaded = $state(false);
  #collab = $state.raw<CollabSession | null>(null);
  readonly threads: CommentThreads;
  readonly #abort = new AbortController();
  #stop: (() => void)[] = [];
  #frame = 0;
  #registerRequest = 0;
  #registerApplied = 0;

  #registerById = $derived(new Map(this.#register.map((r) => [r.id, r])));
  #positions = $derived.by(() => {
    void this.#plan; // anchors resolve against the current document: recompute when it changes
    const doc = this.#collab?.ydoc;
    return doc ? positionsByAction(this.threads.threads, doc) : new Map();
  });
  #coverage: Coverage = $derived(computeCoverage(this.#plan, this.#register, this.#positions));

  constructor(readonly documentId: string) {
    this.threads = new CommentThreads(documentId);
  }

  get meta(): DocumentMeta | null {
    return this.#meta;
  }
  get consultation(): Consultation | null {
    return this.#consultation;
  }
  /** The document or consultation could not be loaded. */
  get error(): ApiError | null {
    return this.#error;
  }
  /** The register could not be loaded (the plan still shows). */
  get registerError(): ApiError | null {
    return this.#registerError;
  }
  get collab(): CollabSession | null {
    return this.#collab;
  }
  get fragment(): Y.XmlFragment | null {
    return this.#collab?.fragment ?? null;
  }
  /** True once the document has arrived from the server. */
  get loaded(): boolean {
    return this.#collab?.loaded ?? false;
  }
  get registerLoaded(): boolean {
    return this.#registerLoaded;
  }
  get plan(): PlanSnapshot {
    return this.#plan;
  }
  get register(): RecommendationSummary[] {
    return this.#register;
  }
  get registerById(): ReadonlyMap<string, RecommendationSummary> {
    return this.#registerById;
  }
  get positions(): ReadonlyMap<string, { counts: import('../../../shared/comments.ts').StanceCounts; threads: number }> {
    return this.#positions;
  }
  get coverage(): Coverage {
    return this.#coverage;
  }

  /** Loads the document and its consultation, then follows all three sources; returns the function that stops. */
  start(): () => void {
    void this.#load();
    return () => this.destroy();
  }

  /** Fetches the register again, e.g. when a view offers to try again after `registerError`. */
  reloadRegister(): void {
    void this.#loadRegister();
  }

  async #load(): Promise<void> {
    const signal = this.#abort.signal;
    // The document starts syncing at once, beside the requests for its metadata: the sync of a large plan was
    // the longest step, and it needed only the document's id. Who we are is shown once the consultation says.
    const collab = new CollabSession(this.documentId, { name: '', group: 'other', color: groupColours.other });
    this.#collab = collab;
    const reread = () => {
      if (this.#frame) return;
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        this.#plan = readPlan(collab.fragment);
      });
    };
    collab.fragment.observeDeep(reread);
    this.#stop.push(() => collab.fragment.unobserveDeep(reread), () => collab.destroy());
    this.#plan = readPlan(collab.fragment);

    let meta: DocumentMeta;
    let consultation: Consultation;
    try {
      meta = await api.getDocument(this.documentId, signal);
      if (signal.aborted) return;
      this.#meta = meta;
      // The register and the consultation only need the consultation's id: ask for both at once.
      void this.#loadRegister();
      consultation = await api.getConsultation(meta.consultationId, signal);
    } catch (cause) {
      if (!signal.aborted) this.#error = toApiError(cause);
      return;
    }
    if (signal.aborted) return;
    this.#consultation = consultation;
    collab.setSelf(publishedUser(session.me?.displayName ?? '', consultation));
    this.threads.setConsultation(consultation);
    this.#stop.push(this.threads.start());
    this.#stop.push(
      watchConsultation(meta.consultationId, {
        watched: (value) => {
          this.#consultation = value;
          this.threads.setConsultation(value);
          // Anything imported while we were away.
          void this.#loadRegister();
        },
        consultationUpdated: (value) => {
          if (this.#consultation) this.#consultation = { ...value, you: this.#consultation.you };
        },
        documentUpdated: (document) => {
          if (document.id === this.documentId) this.#meta = document;
        },
        recommendationsChanged: () => void this.#loadRegister(),
      }),
    );
  }

  async #loadRegister(): Promise<void> {
    const consultationId = this.#meta?.consultationId;
    if (!consultationId) return;
    const request = ++this.#registerRequest;
    try {
      const items = await recommendationsApi.summaries(consultationId, this.#abort.signal);
      // An answer is shown unless a later request's answer already is: the first load's answer shows at once
      // even when the consultation's room asked for another one meanwhile, which replaces it when it comes.
      if (request < this.#registerApplied) return;
      this.#registerApplied = request;
      this.#register = items;
      this.#registerLoaded = true;
      this.#registerError = null;
    } catch (cause) {
      if (!this.#abort.signal.aborted && request === this.#registerRequest) this.#registerError = toApiError(cause);
    }
  }

  destroy(): void {
    this.#abort.abort();
    if (this.#frame) cancelAnimationFrame(this.#frame);
    for (const stop of this.#stop.splice(0)) stop();
  }
}
