/** English strings of the comments feature, merged into the English catalogue (the reference for the others). */
export default {} as const;
