import { HttpClient } from '@angular/common/http';
import { inject, Injectable, isDevMode } from '@angular/core';
import { provideTransloco, type Translation, type TranslocoLoader } from '@jsverse/transloco';

export const LANGUAGES = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
] as const;
export type LanguageId = (typeof LANGUAGES)[number]['id'];

const KEY = 'parley.language';

@Injectable({ providedIn: 'root' })
export class HttpTranslationLoader implements TranslocoLoader {
  private readonly http = inject(HttpClient);
  getTranslation(lang: string) {
    return this.http.get<Translation>(`i18n/${lang}.json`);
  }
}

/** The language to start in: the last one chosen here, else the browser's. */
export function initialLanguage(): LanguageId {
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function rememberLanguage(lang: LanguageId): void {
  localStorage.setItem(KEY, lang);
}

export function provideI18n() {
  return provideTransloco({
    config: {
      availableLangs: LANGUAGES.map((l) => l.id),
      defaultLang: initialLanguage(),
      fallbackLang: 'en',
      missingHandler: { useFallbackTranslation: true },
      reRenderOnLangChange: true,
      prodMode: !isDevMode(),
    },
    loader: HttpTranslationLoader,
  });
}
