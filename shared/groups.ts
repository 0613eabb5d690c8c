export const stakeholderGroups = ['government', 'nhri', 'civil_society', 'international', 'other'] as const;
export type StakeholderGroup = (typeof stakeholderGroups)[number];

/**
 * One colour per group, used for cursors, comments and figures. Chosen to stay
 * distinguishable for the common forms of colour blindness and to keep 4.5:1
 * contrast with white text.
 */
export const groupColours: Record<StakeholderGroup, string> = {
  government: '#1f5fa8',
  nhri: '#7a3b9a',
  civil_society: '#1b7a3e',
  international: '#b04a00',
  other: '#5c5c5c',
};

export const phases = ['preparation', 'drafting', 'open_for_comment', 'closed', 'adopted'] as const;
export type Phase = (typeof phases)[number];
