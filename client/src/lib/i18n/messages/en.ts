import type { CloseCode, ErrorCode } from '../../../../../shared/errors.ts';
import type { Phase, StakeholderGroup } from '../../../../../shared/groups.ts';

/**
 * English message catalogue — the reference every other language is checked
 * against. Values are ICU MessageFormat strings (intl-messageformat).
 * Keys are flat and dotted; `MessageKey` is derived from this object.
 */
const en = {
  'app.name': 'Convene',
  'app.tagline': 'Drafting the National Human Rights Action Plan together',
  'app.pageTitle': '{page} · Convene',
  'app.skipToContent': 'Skip to main content',

  'nav.label': 'Main',
  'nav.consultations': 'Consultations',

  'header.language': 'Language',

  'common.loading': 'Loading…',
  'common.loadMore': 'Load more',
  'common.retry': 'Try again',
  'common.cancel': 'Cancel',
  'common.save': 'Save',
  'common.createdOn': 'Created {date, date, medium}',

  'identity.title': 'Welcome to Convene',
  'identity.intro':
    'Before you take part, tell other participants how to call you and which stakeholder group you belong to. Nothing else is asked.',
  'identity.editTitle': 'How others see you',
  'identity.name': 'Display name',
  'identity.nameHint':
    'You may use a pseudonym. Other participants see this name next to your cursor. It is stored only in this browser.',
  'identity.nameRequired': 'Enter a display name.',
  'identity.group': 'Stakeholder group',
  'identity.groupHint': 'Other participants see your group next to your name.',
  'identity.groupRequired': 'Choose a stakeholder group.',
  'identity.submit': 'Continue',
  'identity.change': 'Change name or group',
  'identity.current': 'Taking part as {name} ({group})',

  'groups.government': 'Government',
  'groups.nhri': 'National human rights institution',
  'groups.civil_society': 'Civil society',
  'groups.international': 'International organisation',
  'groups.other': 'Other',

  'phases.preparation': 'Preparation',
  'phases.drafting': 'Drafting',
  'phases.open_for_comment': 'Open for comment',
  'phases.closed': 'Closed',
  'phases.adopted': 'Adopted',

  'home.title': 'Consultations',
  'home.intro':
    'Each consultation gathers government, the national human rights institution and civil society around a draft National Human Rights Action Plan. Open one to read and co-edit its documents.',
  'home.listLabel': 'Consultations, newest first',
  'home.empty': 'There are no consultations yet. Start the first one below.',
  'home.createTitle': 'Start a consultation',
  'home.fieldTitle': 'Title',
  'home.fieldSummary': 'Summary',
  'home.fieldCountry': 'Country code (optional, two letters)',
  'home.countryHint': 'An ISO code such as KE or FR. Leave it empty for a regional consultation.',
  'home.titleRequired': 'Enter a title.',
  'home.countryInvalid': 'Use exactly two letters, for example KE, or leave the field empty.',
  'home.fieldHideIdentities': 'Hide participants’ identities',
  'home.hideIdentitiesHint': 'Contributors and observers will see one another only by an alias and a stakeholder group. Recommended where taking part may lead to reprisals.',
  'home.create': 'Create consultation',
  'home.creating': 'Creating…',

  'consultation.back': 'All consultations',
  'consultation.details': 'About this consultation',
  'consultation.country': 'Country',
  'consultation.regional': 'Regional',
  'consultation.phase': 'Phase',
  'consultation.documents': 'Documents',
  'consultation.noDocuments': 'No documents yet.',
  'consultation.addDocument': 'Add document',
  'consultation.fieldDocumentTitle': 'Document title',
  'consultation.adding': 'Adding…',
  'consultation.documentAdded': 'Document “{title}” added.',
  'consultation.liveUnavailable': 'Live updates are unavailable. Reload the page to see new documents.',
  'consultation.identitiesHidden': 'Identities are hidden: participants see one another only by alias and stakeholder group.',
  'consultation.locked': 'Locked',

  'document.back': 'Back to the consultation',
  'document.editorLabel': 'Text of {title}',
  'document.syncing': 'Loading the latest version…',
  'document.people': 'People here',
  'document.peopleCount': '{count, plural, one {# person is here} other {# people are here}}',
  'document.you': '(you)',
  'document.editorFailed': 'The editor could not be loaded. Check your connection and reload the page.',
  'document.locked': 'This document is locked: you can read it, but nobody can edit it until a facilitator unlocks it.',

  'connection.connecting': 'Connecting…',
  'connection.connected': 'Connected: changes are shared live',
  'connection.reconnecting': 'Connection lost. Reconnecting… Keep this page open: your changes will be sent when it returns.',
  'connection.offline': 'Offline. Keep this page open: your changes will be sent when you are back online.',
  'connection.stopped': 'Not connected',

  'close.1009': 'A change was too large to send. Try pasting smaller parts.',
  'close.4400': 'The server could not read a message from this page. Retrying…',
  'close.4401': 'You need to sign in to open this document.',
  'close.4403': 'You do not have permission to open this document.',
  'close.4404': 'This document does not exist or has been removed.',
  'close.4503': 'This document is temporarily unavailable. Retrying…',

  'toolbar.label': 'Formatting',
  'toolbar.paragraph': 'Paragraph',
  'toolbar.heading1': 'Heading level 1',
  'toolbar.heading2': 'Heading level 2',
  'toolbar.heading3': 'Heading level 3',
  'toolbar.bold': 'Bold',
  'toolbar.italic': 'Italic',
  'toolbar.bulletList': 'Bulleted list',
  'toolbar.orderedList': 'Numbered list',
  'toolbar.link': 'Link',
  'toolbar.undo': 'Undo my last change',
  'toolbar.redo': 'Redo my last change',

  'link.url': 'Link address',
  'link.hint': 'A web address (https://…) or an email address (mailto:…).',
  'link.apply': 'Apply link',
  'link.remove': 'Remove link',
  'link.invalid': 'Enter an address starting with https://, http:// or mailto:.',

  'errors.bad_request': 'The request could not be understood.',
  'errors.validation_failed': 'Some information is missing or not valid. Check the form and try again.',
  'errors.not_found': 'We could not find this. It may have been removed, or the address may be wrong.',
  'errors.payload_too_large': 'This is too large to send.',
  'errors.unauthenticated': 'You need to sign in to do this.',
  'errors.forbidden': 'You do not have permission to do this.',
  'errors.conflict': 'Someone else changed this at the same time. Reload the page and try again.',
  'errors.unavailable': 'The service is temporarily unavailable. Try again in a moment.',
  'errors.internal_error': 'Something went wrong on the server. Try again later.',
  'errors.network_error': 'The server could not be reached. Check your connection and try again.',
  'errors.invalid_credentials': 'The email address or password is not correct.',
  'errors.cross_origin': 'This request came from another website and was refused.',
  'errors.email_taken': 'An account already uses this email address.',
  'errors.invalid_phase_transition': 'The consultation cannot move to that phase from its current one.',
  'errors.last_facilitator': 'A consultation needs at least one facilitator. Name another facilitator first.',
  'errors.invitation_unavailable': 'This invitation has expired, has already been used or was withdrawn.',
  'errors.rate_limited': 'Too many attempts. Wait a moment and try again.',

  'notFound.title': 'Page not found',
  'notFound.body': 'This address does not lead to any page.',
  'notFound.home': 'Go to the consultations',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

/**
 * Every error code, stakeholder group, phase and meaningful close code in the
 * shared contract has a message: adding one there without a message here is a
 * type error (and the other catalogues must then follow).
 */
type Covered = Record<
  | `errors.${ErrorCode}`
  | `groups.${StakeholderGroup}`
  | `phases.${Phase}`
  | `close.${Exclude<CloseCode, 1000 | 1001>}`,
  string
>;
void (en satisfies Covered);

export default en;
