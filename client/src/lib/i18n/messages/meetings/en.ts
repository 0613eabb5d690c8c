/** English strings of the meetings feature, merged into the English catalogue (the reference for the others). */
export default {} as const;
