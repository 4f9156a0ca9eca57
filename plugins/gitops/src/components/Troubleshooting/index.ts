export { WhyButton } from './WhyButton';
export { TroubleshootingDialog, troubleOf } from './TroubleshootingDialog';
