import type { CloseCode, ErrorCode } from '../../../../../shared/errors.ts';
import type { Phase, StakeholderGroup } from '../../../../../shared/groups.ts';
import type { Role } from '../../../../../shared/permissions.ts';

/**
 * English message catalogue — the reference every other language is checked
 * against. Values are ICU MessageFormat strings (intl-messageformat).
 * Keys are flat and dotted; `MessageKey` is derived from this object.
 */
import comments from './comments/en.ts';
import meetings from './meetings/en.ts';
import recommendations from './recommendations/en.ts';
import plan from './plan/en.ts';
import coverage from './coverage/en.ts';
import exportMessages from './export/en.ts';
import structure from './structure/en.ts';
import budget from './budget/en.ts';
import table from './table/en.ts';
import history from './history/en.ts';
import minutes from './minutes/en.ts';
import privacy from './privacy/en.ts';
import archive from './archive/en.ts';
import report from './report/en.ts';

const en = {
  'app.name': 'Convene',
  'app.tagline': 'Drafting the National Human Rights Action Plan together',
  'app.pageTitle': '{page} · Convene',
  'app.skipToContent': 'Skip to main content',

  'nav.label': 'Main',
  'nav.consultations': 'Consultations',

  'header.language': 'Language',
  'header.signedInAs': 'Signed in as {name}',
  'header.account': 'Account',

  'common.loading': 'Loading…',
  'common.loadMore': 'Load more',
  'common.retry': 'Try again',
  'common.cancel': 'Cancel',
  'common.save': 'Save',
  'common.createdOn': 'Created {date, date, medium}',
  'common.dismiss': 'Dismiss',
  'common.saving': 'Saving…',
  'common.choose': 'Choose…',

  'auth.welcomeTitle': 'Welcome to Convene',
  'auth.welcomeIntro':
    'Convene is where government, the national human rights institution and civil society draft the National Human Rights Action Plan together. Sign in, or create an account to take part.',
  'auth.privacyNote': 'Other participants see only your display name, never your email address. You may use a pseudonym.',
  'auth.sessionEnded': 'Your session has ended. Sign in again to continue.',
  'auth.signInTitle': 'Sign in',
  'auth.registerTitle': 'Create an account',
  'auth.email': 'Email address',
  'auth.emailHint': 'Used only to sign in. It is never shown to other participants.',
  'auth.emailRequired': 'Enter your email address.',
  'auth.emailInvalid': 'Enter an email address such as name@example.org.',
  'auth.password': 'Password',
  'auth.passwordHint': 'At least {min} characters. A few unrelated words make a password that is easy to remember and hard to guess.',
  'auth.passwordRequired': 'Enter your password.',
  'auth.passwordTooShort': 'Use at least {min} characters.',
  'auth.displayName': 'Display name',
  'auth.displayNameHint': 'A pseudonym is fine. Only this name is shown to other participants.',
  'auth.displayNameRequired': 'Enter a display name.',
  'auth.language': 'Preferred language',
  'auth.signIn': 'Sign in',
  'auth.signingIn': 'Signing in…',
  'auth.createAccount': 'Create account',
  'auth.creatingAccount': 'Creating account…',
  'auth.rateLimitedSeconds':
    'Too many failed sign-in attempts. For your security, wait {seconds, plural, one {# second} other {# seconds}} before trying again.',
  'auth.rateLimitedMinutes':
    'Too many failed sign-in attempts. For your security, wait {minutes, plural, one {# minute} other {# minutes}} before trying again.',

  'account.title': 'Your account',
  'account.signedInWith': 'Signed in with {email}. Only you can see this address.',
  'account.profileTitle': 'Name and language',
  'account.profileSaved': 'Saved.',
  'account.passwordTitle': 'Change password',
  'account.passwordIntro': 'When you change your password, you are signed out everywhere else.',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.repeatPassword': 'Repeat the new password',
  'account.passwordsDiffer': 'The two new passwords are not the same.',
  'account.currentPasswordWrong': 'The current password is not correct.',
  'account.changePassword': 'Change password',
  'account.passwordChanged': 'Password changed. Your other sessions have ended.',
  'account.sessionsTitle': 'Where you are signed in',
  'account.sessionsIntro': 'If you do not recognise a session, sign it out and change your password.',
  'account.thisSession': 'This session',
  'account.sessionStarted': 'Signed in {date, date, medium}, {date, time, short}',
  'account.sessionLastSeen': 'Last active {date, date, medium}, {date, time, short}',
  'account.sessionExpires': 'Expires {date, date, medium}',
  'account.signOutSession': 'Sign out this session',
  'account.sessionEnded': 'The session was signed out.',
  'account.signOutTitle': 'Sign out',
  'account.signOutIntro': 'On a shared or public computer, always sign out when you are done.',
  'account.signOut': 'Sign out',

  'roles.facilitator': 'Facilitator',
  'roles.drafter': 'Drafter',
  'roles.contributor': 'Contributor',
  'roles.observer': 'Observer',

  'roleInfo.facilitator': 'Facilitators run the consultation: its phases, members and invitations. They can also edit the documents.',
  'roleInfo.drafter': 'Drafters hold the pen: they write and edit the documents.',
  'roleInfo.contributor': 'Contributors read the documents and comment on them while the draft is open for comment.',
  'roleInfo.observer': 'Observers follow the consultation and read its documents.',

  'alias.government': 'Government participant {alias}',
  'alias.nhri': 'NHRI participant {alias}',
  'alias.civil_society': 'Civil society participant {alias}',
  'alias.international': 'International organisation participant {alias}',
  'alias.other': 'Participant {alias}',


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
  'home.empty': 'You are not taking part in any consultation yet. Start one below, or open an invitation link you received.',
  'home.createTitle': 'Start a consultation',
  'home.fieldTitle': 'Title',
  'home.fieldSummary': 'Summary',
  'home.fieldCountry': 'Country code (optional, two letters)',
  'home.countryHint': 'An ISO code such as KE or FR. Leave it empty for a regional consultation.',
  'home.titleRequired': 'Enter a title.',
  'home.countryInvalid': 'Use exactly two letters, for example KE, or leave the field empty.',
  'home.fieldGroup': 'Your stakeholder group',
  'home.groupHint': 'You become the first facilitator of this consultation. Other members see your group next to your name.',
  'home.groupRequired': 'Choose a stakeholder group.',
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
  'consultation.yourRole': 'Your role',
  'consultation.removedNotice': 'You are no longer a member of that consultation.',

  'phase.title': 'Phase',
  'phase.current': 'Current phase:',
  'phase.steps': 'Phases of the consultation',
  'phase.moveTo': 'Move to “{phase}”',
  'phase.backTo': 'Back to “{phase}”',
  'phase.changed': 'The consultation is now in the phase “{phase}”.',
  'phase.adoptTitle': 'Adopt the plan?',
  'phase.adoptBody':
    'Adoption is final. Once adopted, the plan is a record: nobody can edit it, comment on it or change who takes part, and it cannot be reopened.',
  'phase.adoptConfirm': 'Adopt the plan',
  'phase.adoptedFinal': 'The plan is adopted. This is final.',

  'privacy.title': 'Privacy',
  'privacy.nowHidden': 'Identities are now hidden.',
  'privacy.nowShown': 'Identities are now shown.',

  'members.title': 'Members',
  'members.count': '{count, plural, one {# member} other {# members}}',
  'members.role': 'Role',
  'members.group': 'Group',
  'members.roleOf': 'Role of {name}',
  'members.groupOf': 'Group of {name}',
  'members.save': 'Save',
  'members.saveOf': 'Save changes for {name}',
  'members.remove': 'Remove',
  'members.removeOf': 'Remove {name}',
  'members.removeTitle': 'Remove this member?',
  'members.removeBody': '{name} will lose access to this consultation and its documents at once. You can invite them again later.',
  'members.removeConfirm': 'Remove member',
  'members.removed': '{name} was removed.',
  'members.roleChanged': 'The role of {name} is now “{role}”.',
  'members.groupChanged': 'The group of {name} is now “{group}”.',
  'members.fieldOrganisation': 'Organisation (optional)',
  'members.organisationHint': 'Shown to other members next to your name, unless identities are hidden.',

  'invite.open': 'Invite people',
  'invite.title': 'Invite people',
  'invite.intro': 'Make a link that lets people join this consultation with the role and group you choose. Send it privately.',
  'invite.role': 'Role',
  'invite.group': 'Stakeholder group',
  'invite.expiry': 'The link works for',
  'invite.expiry1Day': '1 day',
  'invite.expiry7Days': '7 days',
  'invite.expiry30Days': '30 days',
  'invite.uses': 'Number of uses',
  'invite.usesHint': 'How many people can join with this link (1 to 1000).',
  'invite.usesInvalid': 'Enter a whole number from 1 to 1000.',
  'invite.create': 'Create link',
  'invite.creating': 'Creating…',
  'invite.created': 'The invitation link is ready.',
  'invite.link': 'Invitation link',
  'invite.copy': 'Copy link',
  'invite.copied': 'Link copied.',
  'invite.copyManually': 'The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.',
  'invite.shownOnce':
    'This link is shown only once. Copy it now and send it privately: anyone who has it can join until it expires or is used up. You can withdraw it at any time.',
  'invite.summary': 'Joins as {role} ({group}) · {uses, plural, one {# use} other {# uses}} · until {date, date, medium}',
  'invite.another': 'Make another link',
  'invite.done': 'Done',

  'invitations.title': 'Invitation links',
  'invitations.intro': 'The links themselves are not stored and cannot be shown again.',
  'invitations.empty': 'No invitation links yet.',
  'invitations.used': 'Used',
  'invitations.usesOf': '{uses} of {max}',
  'invitations.expires': 'Expires',
  'invitations.date': '{date, date, medium}, {date, time, short}',
  'invitations.status': 'Status',
  'invitations.status.active': 'Active',
  'invitations.status.withdrawn': 'Withdrawn',
  'invitations.status.usedUp': 'Used up',
  'invitations.status.expired': 'Expired',
  'invitations.actions': 'Actions',
  'invitations.withdraw': 'Withdraw',
  'invitations.withdrawn': 'The invitation link was withdrawn.',

  'invitePage.title': 'Invitation',
  'invitePage.invitedTo': 'You are invited to “{title}” as {role} ({group}).',
  'invitePage.expires': 'This invitation is valid until {date, date, medium}.',
  'invitePage.askAgain': 'Ask the person who invited you for a new link.',
  'invitePage.signInFirst': 'To accept, first sign in or create an account. You will come back to this page.',
  'invitePage.joinTitle': 'Join the consultation',
  'invitePage.joiningAs': 'You will take part as {name}.',
  'invitePage.join': 'Join',
  'invitePage.joining': 'Joining…',

  'document.back': 'Back to the consultation',
  'document.editorLabel': 'Text of {title}',
  'document.syncing': 'Loading the latest version…',
  'document.people': 'People here',
  'document.peopleCount': '{count, plural, one {# person is here} other {# people are here}}',
  'document.you': '(you)',
  'document.lock': 'Lock document',
  'document.unlock': 'Unlock document',
  'document.editorFailed': 'The editor could not be loaded. Check your connection and reload the page.',

  'readonly.title': 'Read only.',
  'readonly.observer': 'Observers can read the documents but not edit them.',
  'readonly.contributor': 'Contributors comment on the documents but do not edit the text.',
  'readonly.role': 'Your role does not allow editing.',
  'readonly.phase': 'The text cannot be edited while the consultation is in the phase “{phase}”.',
  'readonly.locked': 'A facilitator has locked this document: nobody can edit it until it is unlocked.',
  'readonly.adopted': 'The plan is adopted: it is now a record and can no longer be edited.',

  'connection.connecting': 'Connecting…',
  'connection.connected': 'Connected: changes are shared live',
  'connection.reconnecting': 'Connection lost. Reconnecting… Keep this page open: your changes will be sent when it returns.',
  'connection.offline': 'Offline. Keep this page open: your changes will be sent when you are back online.',
  'connection.stopped': 'Not connected',

  'close.1008': 'Too much was sent before the document was ready. Retrying…',
  'close.1009': 'A change was too large to send. Try pasting smaller parts.',
  'close.4400': 'The server could not read a message from this page. Retrying…',
  'close.4401': 'You need to sign in to open this document.',
  'close.4403': 'You no longer have access to this document.',
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
  'errors.muted': 'A facilitator has muted you for a while: you can still read and vote, but you cannot comment or take the floor yet.',
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

  // Renaming and archiving documents; what adoption settles.
  'documents.rename': 'Rename',
  'documents.renameLabel': 'Rename “{title}”',
  'documents.newTitle': 'New title for “{title}”',
  'documents.renamed': 'The document is now called “{title}”.',
  'documents.archive': 'Archive',
  'documents.archiveLabel': 'Archive “{title}”',
  'documents.archiveTitle': 'Archive this document?',
  'documents.archiveBody': '“{title}” will leave the plan’s list of documents and nobody will be able to edit it. Its text, comments and history are kept, and a facilitator can restore it until the plan is adopted.',
  'documents.archivedNotice': '“{title}” was archived.',
  'documents.archivedTitle': 'Archived documents',
  'documents.archivedHint': 'Archived documents are not part of the plan. They stay readable and can be restored until the plan is adopted.',
  'documents.archivedNone': 'No document is archived.',
  'documents.archivedOn': 'archived on {date, date, medium}',
  'documents.archivedBadge': 'Archived',
  'documents.restore': 'Restore',
  'documents.restoreLabel': 'Restore “{title}”',
  'documents.restoredNotice': '“{title}” is back in the plan.',
  'readonly.archived': 'A facilitator has archived this document: it is kept for the record but can no longer be edited.',
  'phase.adoptNothingOpen': 'No thread is open and no proposal is awaiting a decision.',
  'phase.adoptOpenThreads': '{count, plural, one {# open thread will be closed as “Closed at adoption”:} other {# open threads will be closed as “Closed at adoption”:}}',
  'phase.adoptPendingProposals': '{count, plural, one {# proposal awaiting a decision will be marked “Not decided before adoption”:} other {# proposals awaiting a decision will be marked “Not decided before adoption”:}}',
  'phase.adoptIn': 'in {document}',
  'phase.adoptProposed': 'proposed wording:',
  'phase.adoptMore': '{count, plural, one {and # more} other {and # more}}',
  'errors.confirmation_required': 'This step has consequences you need to confirm first. Reload the page and try again.',
  'close.4429': 'This document is open in too many of your tabs or devices. Close one; this page keeps trying to connect.',
  ...comments,
  ...meetings,
  ...plan,
  ...structure,
  ...budget,

  // Privacy by default: how other members see you
  'privacy.offKeepsHidden': 'Turning this off later reveals nobody who joined while it was on: each of them decides whether to show their name.',
  'invitePage.othersSeeAlias': 'Other members will see you only as an alias and your stakeholder group; facilitators see your display name.',
  'invitePage.othersSeeName': 'Other members will see your display name.',
  'invitePage.othersSeeNameOfficial': 'Facilitators and drafters act in an official capacity: other members will see your display name.',
  'invitePage.showName': 'Show my name to other members',
  'invitePage.showNameHint': 'Untick to appear only as an alias and your stakeholder group. You can change this later on the consultation page.',
  'identity.title': 'How others see you',
  'identity.seenAs': 'Other members see you as: {name}',
  'identity.showName': 'Show my name to other members',
  'identity.hint': 'When this is off, other members see you only as an alias and your stakeholder group. Facilitators always see your name.',
  'identity.hiddenByConsultation': 'This consultation hides identities, so your name stays hidden from other members for now; your choice applies if a facilitator stops hiding them.',
  'identity.official': 'Facilitators and drafters act in an official capacity: other members always see their names.',
  'identity.nowShown': 'Other members can now see your name.',
  'identity.nowHidden': 'Other members now see you only as an alias.',
  'members.aliasToOthers': 'Others see: {alias}',
  // The recommendations register.
  ...recommendations,
  // The plan's coverage view.
  ...coverage,
  // The plan's exports (also read by the server for the labels inside the files).
  ...exportMessages,
  // The plan as a table.
  ...table,
  // A document's history: versions, comparisons, what happened to each comment.
  ...history,
  // Session minutes: who spoke, polls, decisions and notes.
  ...minutes,
  // Personal data: deleting one's account, downloading one's data.
  ...privacy,
  // Consultation archives: export and import.
  ...archive,
  // The consultation report and minutes as files (also read by the server for the labels inside them).
  ...report,
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
  | `roles.${Role}`
  | `roleInfo.${Role}`
  | `alias.${StakeholderGroup}`
  | `close.${Exclude<CloseCode, 1000 | 1001>}`,
  string
>;
void (en satisfies Covered);

export default en;
