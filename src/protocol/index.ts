// The IRC wire format, shared by the server and the extension's client.
export * from './message.ts';
export * from './tags.ts';
export * from './numerics.ts';
export * from './casemap.ts';
export * from './validate.ts';
export * from './source.ts';
export * from './caps.ts';
export * from './isupport.ts';
export * from './linereader.ts';
export * from './limits.ts';
export * from './conventions.ts';
export * from './multiline.ts';
export * from './clienttags.ts';
