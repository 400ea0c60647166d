import { mount } from 'svelte';
import './styles/tokens.css';
import './styles/base.css';
import './styles/content.css';
import './styles/hovercard.css';
import App from './App.svelte';
import { prefs } from './lib/prefs.svelte';

void prefs.load();
mount(App, { target: document.getElementById('app')! });
