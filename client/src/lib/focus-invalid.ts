import { tick } from 'svelte';

/**
 * Moves focus to a form's first field marked invalid. Called right after the
 * submit that set the errors, so it waits for the page to show them first:
 * before that, no field is marked yet.
 */
export async function focusFirstInvalid(form: HTMLFormElement | undefined): Promise<void> {
  await tick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
