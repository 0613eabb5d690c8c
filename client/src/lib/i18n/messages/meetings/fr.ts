import type meetingsEn from './en.ts';

/** fr strings of the meetings feature; the type requires every key of the English ones. */
export default {} as const satisfies Record<keyof typeof meetingsEn, string>;
