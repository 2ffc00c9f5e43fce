export { SignInPage } from './components/sign-in-page';
export { ClaimNameForm } from './components/claim-name-form';
export { useMe, meQueryKey } from './api/get-me';
export { useSignOut } from './hooks/use-sign-out';
export { AccountSettings } from './components/account-settings';
