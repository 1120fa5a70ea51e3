import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { Widget } from './app/widget';

bootstrapApplication(Widget, { providers: [provideZonelessChangeDetection()] }).catch((err: unknown) =>
  console.error(err),
);
