import type commentsEn from './en.ts';

/** fr strings of the comments feature; the type requires every key of the English ones. */
export default {} as const satisfies Record<keyof typeof commentsEn, string>;
