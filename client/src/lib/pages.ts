/**
 * Every page is a chunk of its own, downloaded when it is opened: a first
 * visit to a document downloads the app's frame and that page, not every page
 * (the budget in the README). The document page loads its editor (Tiptap,
 * Yjs) later still, once its text shows.
 */
export const pages = {
  home: () => import('../pages/Home.svelte'),
  account: () => import('../pages/AccountPage.svelte'),
  consultation: () => import('../pages/ConsultationPage.svelte'),
  meeting: () => import('../pages/MeetingPage.svelte'),
  moderation: () => import('../pages/ModerationPage.svelte'),
  audit: () => import('../pages/AuditPage.svelte'),
  recommendations: () => import('../pages/RecommendationsPage.svelte'),
  document: () => import('../pages/DocumentPage.svelte'),
  planTable: () => import('../pages/PlanTablePage.svelte'),
  coverage: () => import('../pages/CoveragePage.svelte'),
  history: () => import('../pages/HistoryPage.svelte'),
};

/** Starts downloading the page a link opens (the page renders later, once the session is known). */
export function preloadPage(name: string): void {
  const load = (pages as Partial<Record<string, () => Promise<unknown>>>)[name];
  void load?.().catch(() => undefined);
}
