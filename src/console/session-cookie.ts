// The session cookie's name, shared by the plugin (which reads it) and sign-in (which sets it).
export const SESSION_COOKIE = 'rapport_session';
