import { escapeControl } from '../../src-shared/text/escape';

interface ErrorBannerProps {
  message: string;
  action?: { label: string; onClick(): void };
  onDismiss?: () => void;
}

/** One failure, one line the user can act on, in red (control bytes copied from a file shown as `\x1b`); optionally a retry and a dismiss. */
export function ErrorBanner({ message, action, onDismiss }: ErrorBannerProps) {
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span className="error-banner-icon" aria-hidden="true">
        !
      </span>
      <span className="error-banner-message">{escapeControl(message)}</span>
      {action && (
        <button type="button" className="button small" onClick={action.onClick}>
          {action.label}
        </button>
      )}
      {onDismiss && (
        <button type="button" className="button small quiet" onClick={onDismiss} aria-label="Dismiss this message">
          Dismiss
        </button>
      )}
    </div>
  );
}
