#pragma once
// Loads the app's translations (embedded under :/i18n by qt_add_translations)
// and Qt's own, for `--lang CODE` or else the system locale.

#include <QLocale>
#include <QString>

class QCoreApplication;

namespace tandem::app {

/// Installs the translators on `app`; returns the locale chosen. English needs
/// none; an unknown language falls back to English.
QLocale installTranslations(QCoreApplication &app, const QString &language);

} // namespace tandem::app
