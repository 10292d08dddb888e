// The client module runs first: in browser mode it takes the access token out of the URL before the
// router ever reads location.hash.
import './api/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles/base.css';
import './styles/shell.css';
import './styles/empty-state.css';
import './styles/subject-list.css';
import './styles/detail.css';
import './styles/trial.css';
import './styles/events.css';
import './styles/analysis.css';
import './styles/import.css';
import './styles/jobs.css';
import './styles/report.css';
import './styles/records.css';
import './styles/live.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
