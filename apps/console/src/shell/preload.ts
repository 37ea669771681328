/** The map desk's code (header, feed, figures, map panel): fetched as soon as sign-in is done. */
export const loadConsoleScreen = () => import('../components/console-screen');

/** The map's point worker and its first read: started from the sign-in page. */
export const loadPointStore = () => import('../map/point-store-client');
