import axios from 'axios';
import { IncidentApi } from '../lib/incidentApi';

const host = window.location.hostname;
const port = 8000;

export const me = () => axios.get(`http://${host}:${port}/api/auth/me`);

export const login = (username, password) =>
  axios({ method: 'post', url: '/api/auth/login', data: { username, password } });

export const logout = () => axios.request({ method: 'POST', url: '/api/auth/logout' });

export const refresh = () => axios.post('/api/auth/refresh');

// Not our API: the sign-in page shows the user's GitHub avatar.
export const githubUser = () => axios.get('https://api.github.com/user');

// None of these are HTTP calls.
const sessions = new Map();
export const cachedSession = (key) => sessions.get(key);
export const forgetSession = (key) => sessions.delete(key);
export const nextPage = () => new URLSearchParams(window.location.search).get('next');
export const incident = (id) => IncidentApi.get(id);
