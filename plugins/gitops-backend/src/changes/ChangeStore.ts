// Moved to src/store; kept so that modules still importing it from here
// (src/notifications) build until they import '../store/ChangeStore'.
export type * from '../store/ChangeStore';
