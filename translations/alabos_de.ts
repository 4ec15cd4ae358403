<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Barcode</name>
    <message>
        <location filename="../core/labels/barcode.cpp" line="+15"/>
        <source>Out of memory for a barcode</source>
        <translation>Kein Speicher mehr für einen Barcode</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&quot;%1&quot; cannot be encoded as %2: %3</source>
        <translation>„%1“ lässt sich nicht als %2 codieren: %3</translation>
    </message>
</context>
<context>
    <name>FieldDefinition</name>
    <message>
        <location filename="../core/domain/formdefinition.cpp" line="+68"/>
        <source>field &quot;%1&quot;: %2</source>
        <translation>Feld „%1“: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a field has no &quot;name&quot;</source>
        <translation>ein Feld hat kein „name“</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown &quot;type&quot; &quot;%1&quot; (string, integer, number, enum, boolean or date)</source>
        <translation>unbekannter „type“ „%1“ (string, integer, number, enum, boolean oder date)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;min&quot; and &quot;max&quot; must be numbers</source>
        <translation>„min“ und „max“ müssen Zahlen sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&quot;min&quot; %1 is above &quot;max&quot; %2</source>
        <translation>„min“ %1 liegt über „max“ %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;pattern&quot; is not a valid regular expression: %1</source>
        <translation>„pattern“ ist kein gültiger regulärer Ausdruck: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;max_length&quot; must be a whole number from 1 to %1</source>
        <translation>„max_length“ muss eine ganze Zahl von 1 bis %1 sein</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>an enum needs &quot;options&quot;</source>
        <translation>ein enum braucht „options“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;default&quot; is not valid: %1</source>
        <translation>„default“ ist ungültig: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Must be at least %1</source>
        <translation>Muss mindestens %1 sein</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Must be at most %1</source>
        <translation>Muss höchstens %1 sein</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+85"/>
        <source>Required</source>
        <translation>Erforderlich</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>At most %1 characters (this has %2)</source>
        <translation>Höchstens %1 Zeichen (dieser Text hat %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Contains a control character (U+%1)</source>
        <translation>Enthält ein Steuerzeichen (U+%1)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Does not have the expected format</source>
        <translation>Hat nicht das erwartete Format</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not a whole number: &quot;%1&quot;</source>
        <translation>Keine ganze Zahl: „%1“</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+66"/>
        <source>A whole number from -%1 to %1</source>
        <translation>Eine ganze Zahl von -%1 bis %1</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>Not a number: &quot;%1&quot;</source>
        <translation>Keine Zahl: „%1“</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>At most %n decimal place(s)</source>
        <translation>
            <numerusform>Höchstens %n Nachkommastelle</numerusform>
            <numerusform>Höchstens %n Nachkommastellen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Not one of: %1</source>
        <translation>Keiner der zulässigen Werte: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not yes or no: &quot;%1&quot;</source>
        <translation>Weder ja noch nein: „%1“</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not a date (YYYY-MM-DD): &quot;%1&quot;</source>
        <translation>Kein Datum (JJJJ-MM-TT): „%1“</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Not a whole number</source>
        <translation>Keine ganze Zahl</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not a number</source>
        <translation>Keine Zahl</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not yes or no</source>
        <translation>Weder ja noch nein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not text</source>
        <translation>Kein Text</translation>
    </message>
</context>
<context>
    <name>FormDefinition</name>
    <message>
        <location line="+31"/>
        <source>a form needs a non-empty &quot;fields&quot; array</source>
        <translation>ein Formular braucht ein nicht leeres Array „fields“</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>field &quot;%1&quot; is defined twice</source>
        <translation>Feld „%1“ ist doppelt definiert</translation>
    </message>
</context>
<context>
    <name>LabFile</name>
    <message>
        <location filename="../core/drivers/labfile.cpp" line="+55"/>
        <source>unknown field (known: %1)</source>
        <translation>unbekanntes Feld (bekannt: %1)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>the lab file %1 does not exist</source>
        <translation>die Labordatei %1 existiert nicht</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is a folder, not a lab file</source>
        <translation>%1 ist ein Ordner, keine Labordatei</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the lab file %1 is larger than %2 MB</source>
        <translation>die Labordatei %1 ist größer als %2 MB</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>larger than %1 MB</source>
        <translation>größer als %1 MB</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>not JSON: %1 at line:column %2</source>
        <translation>kein JSON: %1 bei Zeile:Spalte %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be a JSON object {&quot;alabos_lab&quot;: 1, &quot;devices&quot;: [...]}</source>
        <translation>muss ein JSON-Objekt sein {&quot;alabos_lab&quot;: 1, &quot;devices&quot;: [...]}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>is missing: a lab file starts with &quot;alabos_lab&quot;: 1</source>
        <translation>fehlt: eine Labordatei beginnt mit &quot;alabos_lab&quot;: 1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must be 1 (the only lab file format this alabos reads)</source>
        <translation>muss 1 sein (das einzige Labordateiformat, das dieses alabos liest)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be a string</source>
        <translation>muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>is longer than %1 characters</source>
        <translation>ist länger als %1 Zeichen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>is missing (an empty lab is &quot;devices&quot;: [])</source>
        <translation>fehlt (ein leeres Labor ist &quot;devices&quot;: [])</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>must be an array of devices</source>
        <translation>muss eine Liste von Geräten sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>has more than %1 devices</source>
        <translation>hat mehr als %1 Geräte</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be an object {&quot;id&quot;, &quot;type&quot;, &quot;driver&quot;, ...}</source>
        <translation>muss ein Objekt sein {&quot;id&quot;, &quot;type&quot;, &quot;driver&quot;, ...}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be 1 to %1 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>muss aus 1 bis %1 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos; bestehen und mit einem Buchstaben oder einer Ziffer beginnen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; is already the id of devices[%2]</source>
        <translation>&quot;%1&quot; ist schon die ID von devices[%2]</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>must be 1 to %1 lower case letters, digits or &apos;_&apos;, starting with a letter</source>
        <translation>muss aus 1 bis %1 Kleinbuchstaben, Ziffern oder &apos;_&apos; bestehen und mit einem Buchstaben beginnen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be one of %1</source>
        <translation>muss eines von %1 sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be a host name: 1 to 64 letters, digits, &apos;.&apos; or &apos;-&apos;</source>
        <translation>muss ein Hostname sein: 1 bis 64 Buchstaben, Ziffern, &apos;.&apos; oder &apos;-&apos;</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>must be an array of positions</source>
        <translation>muss eine Liste von Positionen sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>position &quot;%1&quot; is already declared by %2</source>
        <translation>Position &quot;%1&quot; ist schon von %2 deklariert</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>must be an object {&quot;name&quot;, &quot;device&quot;, &quot;slots&quot;}</source>
        <translation>muss ein Objekt sein {&quot;name&quot;, &quot;device&quot;, &quot;slots&quot;}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>must be parts of letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; joined by &apos;/&apos;, at most %1 characters</source>
        <translation>muss aus Teilen aus Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos; bestehen, verbunden durch &apos;/&apos;, höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be a device id</source>
        <translation>muss eine Geräte-ID sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>names &quot;%1&quot;, which is not a device of this lab</source>
        <translation>nennt &quot;%1&quot;, das kein Gerät dieses Labors ist</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>must be a whole number from 1 to %1</source>
        <translation>muss eine ganze Zahl von 1 bis %1 sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the lab has more than %1 positions</source>
        <translation>das Labor hat mehr als %1 Positionen</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>The lab file %1 has %n problem(s):
%2</source>
        <translation>
            <numerusform>Die Labordatei %1 hat %n Problem:
%2</numerusform>
            <numerusform>Die Labordatei %1 hat %n Probleme:
%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LabelFormat</name>
    <message>
        <location filename="../core/labels/labelformat.cpp" line="+11"/>
        <source>DataMatrix</source>
        <translation>DataMatrix</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Code 128</source>
        <translation>Code 128</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Roll label 50.8 × 25.4 mm (2″ × 1″)</source>
        <translation>Rollenetikett 50,8 × 25,4 mm (2″ × 1″)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cryo-tube label 38 × 13 mm</source>
        <translation>Kryoröhrchen-Etikett 38 × 13 mm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Roll label 25.4 × 12.7 mm (1″ × ½″)</source>
        <translation>Rollenetikett 25,4 × 12,7 mm (1″ × ½″)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A4 sheet, 3 × 8 labels of 70 × 37 mm</source>
        <translation>A4-Bogen, 3 × 8 Etiketten zu 70 × 37 mm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A4 sheet, 5 × 13 labels of 38.1 × 21.2 mm</source>
        <translation>A4-Bogen, 5 × 13 Etiketten zu 38,1 × 21,2 mm</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Roll label %1 × %2 mm</source>
        <translation>Rollenetikett %1 × %2 mm</translation>
    </message>
</context>
<context>
    <name>LabelSheet</name>
    <message>
        <location filename="../core/labels/labelsheet.cpp" line="+112"/>
        <source>No samples to label: choose at least one registered sample.</source>
        <translation>Keine Proben für Etiketten: Wählen Sie mindestens eine registrierte Probe.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 copies of each label; between 1 and %2.</source>
        <translation>%1 Exemplare je Etikett; zulässig sind 1 bis %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 labels are too many for one print run; at most %2.</source>
        <translation>%1 Etiketten sind zu viele für einen Druckauftrag; höchstens %2.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The first label must be one of the sheet&apos;s %1.</source>
        <translation>Das erste Etikett muss eines der %1 Etiketten des Bogens sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A label of %1 × %2 mm cannot be printed; each side between %3 and %4 mm.</source>
        <translation>Ein Etikett von %1 × %2 mm kann nicht gedruckt werden; jede Seite muss zwischen %3 und %4 mm liegen.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A %1 × %2 mm label is too small for a Code 128 barcode and readable text; choose a larger label or DataMatrix.</source>
        <translation>Ein Etikett von %1 × %2 mm ist zu klein für einen Code-128-Barcode und lesbaren Text; wählen Sie ein größeres Etikett oder DataMatrix.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A %1 × %2 mm label is too small for a DataMatrix barcode and readable text; choose a larger label.</source>
        <translation>Ein Etikett von %1 × %2 mm ist zu klein für einen DataMatrix-Barcode und lesbaren Text; wählen Sie ein größeres Etikett.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A sample without a barcode cannot be labelled.</source>
        <translation>Eine Probe ohne Barcode kann kein Etikett bekommen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The barcode &quot;%1…&quot; has %2 characters; a label takes at most %3.</source>
        <translation>Der Barcode „%1…“ hat %2 Zeichen; ein Etikett nimmt höchstens %3 auf.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&quot;%1&quot; as Code 128 needs %2 mm of width; the label has room for %3 mm.</source>
        <translation>„%1“ braucht als Code 128 %2 mm Breite; das Etikett bietet Platz für %3 mm.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;%1&quot; as DataMatrix needs a square of %2 mm; the label has room for %3 mm.</source>
        <translation>„%1“ braucht als DataMatrix ein Quadrat von %2 mm; das Etikett bietet Platz für %3 mm.</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n other sample(s) do not fit either.</source>
        <translation>
            <numerusform>%n weitere Probe passt ebenfalls nicht.</numerusform>
            <numerusform>%n weitere Proben passen ebenfalls nicht.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose DataMatrix or a larger label.</source>
        <translation>Wählen Sie DataMatrix oder ein größeres Etikett.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a larger label.</source>
        <translation>Wählen Sie ein größeres Etikett.</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>The printer does not take pages of %1 × %2 mm (%3).</source>
        <translation>Der Drucker nimmt keine Seiten von %1 × %2 mm an (%3).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The printer could not be started.</source>
        <translation>Der Drucker konnte nicht gestartet werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The printer refused page %1.</source>
        <translation>Der Drucker hat Seite %1 abgelehnt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The printer could not finish.</source>
        <translation>Der Drucker konnte den Auftrag nicht abschließen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+12"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Sample labels</source>
        <translation>Probenetiketten</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/main.cpp" line="+285"/>
        <source>alabos could not start</source>
        <translation>alabos konnte nicht starten</translation>
    </message>
    <message>
        <location filename="../core/bus/embeddedbroker.cpp" line="+69"/>
        <source>process %1 (%2)</source>
        <translation>Prozess %1 (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a process of another user</source>
        <translation>ein Prozess eines anderen Benutzers</translation>
    </message>
    <message>
        <location line="+199"/>
        <source>creating topic %1 on the embedded broker: %2</source>
        <translation>Anlegen von Topic %1 auf dem eingebetteten Broker: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location filename="../core/bus/eventcodec.cpp" line="+48"/>
        <source>event of %1 bytes exceeds the limit of %2</source>
        <translation>Ereignis mit %1 Bytes überschreitet die Grenze von %2</translation>
    </message>
    <message>
        <location filename="../core/bus/commandcodec.cpp" line="+50"/>
        <source>field &quot;counter&quot; must be a whole number from 0 to %1</source>
        <translation>Feld &quot;counter&quot; muss eine ganze Zahl von 0 bis %1 sein</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>a command message of %1 bytes exceeds the limit of %2</source>
        <translation>eine Befehlsnachricht mit %1 Bytes überschreitet die Grenze von %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../core/bus/eventcodec.cpp" line="+7"/>
        <location filename="../core/remote/devicemessages.cpp" line="+97"/>
        <source>not a JSON object: %1</source>
        <translation>kein JSON-Objekt: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unknown command format version %1</source>
        <translation>unbekannte Version %1 des Befehlsformats</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>a command request needs a non-empty &quot;request_id&quot;</source>
        <translation>eine Befehlsanfrage braucht eine nicht leere „request_id“</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a command request needs a &quot;command&quot; object</source>
        <translation>eine Befehlsanfrage braucht ein Objekt „command“</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>a sign-out needs a non-empty &quot;request_id&quot;</source>
        <translation>eine Abmeldung braucht eine nicht leere &quot;request_id&quot;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>a sign-in request needs &quot;request_id&quot;, &quot;console&quot;, &quot;reply_key&quot; and &quot;sealed&quot;</source>
        <translation>eine Anmeldeanfrage braucht &quot;request_id&quot;, &quot;console&quot;, &quot;reply_key&quot; und &quot;sealed&quot;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a sign-in answer needs &quot;request_id&quot; and &quot;ok&quot;</source>
        <translation>eine Antwort auf eine Anmeldung braucht &quot;request_id&quot; und &quot;ok&quot;</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>a command reply needs &quot;request_id&quot; and &quot;ok&quot;</source>
        <translation>eine Befehlsantwort braucht „request_id“ und „ok“</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>unknown command message kind &quot;%1&quot; (expected %2 or %3)</source>
        <translation>unbekannte Art von Befehlsnachricht „%1“ (erwartet: %2 oder %3)</translation>
    </message>
    <message>
        <location filename="../core/bus/eventcodec.cpp" line="+5"/>
        <source>unknown event format version %1</source>
        <translation>unbekannte Version %1 des Ereignisformats</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>event lacks one of id, entity_type, entity_id, kind, time_us, payload or has the wrong type</source>
        <translation>dem Ereignis fehlt eines der Felder id, entity_type, entity_id, kind, time_us, payload, oder eines hat den falschen Typ</translation>
    </message>
    <message>
        <location filename="../core/bus/kafka.cpp" line="+67"/>
        <source>Kafka setting %1: %2</source>
        <translation>Kafka-Einstellung %1: %2</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Kafka producer: %1</source>
        <translation>Kafka-Producer: %1</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>Kafka produce to %1 failed: %2</source>
        <translation>Senden an Kafka-Topic %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../core/bus/topics.cpp" line="+84"/>
        <source>Kafka client: %1</source>
        <translation>Kafka-Client: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>reading the topics of %1: %2</source>
        <translation>Lesen der Topics von %1: %2</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>topic %1 has %2 partitions, not the %3 configured</source>
        <translation>Topic %1 hat %2 Partitionen, nicht die konfigurierten %3</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1; alabos does not change existing topics</source>
        <translation>%1; alabos ändert bestehende Topics nicht</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Kafka admin client: %1</source>
        <translation>Kafka-Admin-Client: %1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Kafka did not answer the topic creation within 30 s (%1)</source>
        <translation>Kafka hat das Anlegen der Topics nicht innerhalb von 30 s bestätigt (%1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>creating Kafka topics: %1</source>
        <translation>Anlegen der Kafka-Topics: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>creating topic %1: %2</source>
        <translation>Anlegen von Topic %1: %2</translation>
    </message>
    <message>
        <location filename="../core/engine/labsimulation.cpp" line="+18"/>
        <source>unknown simulation profile &quot;%1&quot; (known: %2)</source>
        <translation>unbekanntes Simulationsprofil „%1“ (bekannt: %2)</translation>
    </message>
    <message>
        <location filename="../core/engine/templatecheck.cpp" line="+353"/>
        <source>workflow template: field &quot;name&quot; is missing or empty</source>
        <translation>Arbeitsablaufvorlage: Feld „name“ fehlt oder ist leer</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>workflow template %1: field &quot;tasks&quot; must be a non-empty array</source>
        <translation>Arbeitsablaufvorlage %1: Feld „tasks“ muss ein nicht leeres Array sein</translation>
    </message>
    <message>
        <location line="-296"/>
        <source>workflow template %1, task %2</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>: field &quot;name&quot; is missing</source>
        <translation>: Feld „name“ fehlt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>: field &quot;device_type&quot; is missing</source>
        <translation>: Feld „device_type“ fehlt</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>: field &quot;command&quot; is missing</source>
        <translation>: Feld „command“ fehlt</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>: parameter_schema field &quot;%1&quot;: %2</source>
        <translation>: parameter_schema-Feld „%1“: %2</translation>
    </message>
    <message>
        <location line="-153"/>
        <source>type must be number, integer, string or boolean</source>
        <translation>type muss number, integer, string oder boolean sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>min must be a number</source>
        <translation>min muss eine Zahl sein</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>max must be a number</source>
        <translation>max muss eine Zahl sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>min is above max</source>
        <translation>min liegt über max</translation>
    </message>
    <message>
        <location line="+223"/>
        <source>must be a string</source>
        <translation>muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../core/remote/devicemessages.cpp" line="-47"/>
        <source>must be true or false</source>
        <translation>muss true oder false sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be a whole number from -2^53 to 2^53</source>
        <translation>muss eine ganze Zahl von -2^53 bis 2^53 sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1%2 is outside %3..%4%2</source>
        <translation>%1%2 liegt außerhalb von %3..%4%2</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>workflow template %1…: field &quot;name&quot; is longer than %2 characters</source>
        <translation>Workflow-Vorlage %1…: Feld &quot;name&quot; ist länger als %2 Zeichen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>workflow template %1: field &quot;tasks&quot; has %2 tasks; at most %3</source>
        <translation>Workflow-Vorlage %1: Feld &quot;tasks&quot; hat %2 Aufgaben; höchstens %3</translation>
    </message>
    <message>
        <location line="-296"/>
        <source>: must be an object</source>
        <translation>: muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>: field &quot;%1&quot; is longer than %2 characters</source>
        <translation>: Feld &quot;%1&quot; ist länger als %2 Zeichen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>: field &quot;duration_s&quot; must be a number &gt;= 0</source>
        <translation>: Feld „duration_s“ muss eine Zahl &gt;= 0 sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: field &quot;depends_on&quot; must be an array of task names</source>
        <translation>: Feld „depends_on“ muss ein Array von Aufgabennamen sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: field &quot;depends_on&quot; must name other tasks</source>
        <translation>: Feld „depends_on“ muss andere Aufgaben nennen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>: field &quot;resources.positions_under&quot; needs a &quot;parent&quot; and a &quot;count&quot; &gt;= 1</source>
        <translation>: Feld „resources.positions_under“ braucht „parent“ und „count“ &gt;= 1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>: field &quot;resources.devices&quot; entries need a &quot;type&quot; or a &quot;name&quot;</source>
        <translation>: Einträge im Feld „resources.devices“ brauchen „type“ oder „name“</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>: field &quot;resources.positions&quot; must list position names</source>
        <translation>: Feld „resources.positions“ muss Positionsnamen auflisten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: field &quot;resources&quot; names &quot;%1…&quot;, longer than %2 characters</source>
        <translation>: Feld „resources“ nennt „%1…“, länger als %2 Zeichen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>: field &quot;timeout_s&quot; must be &gt;= 0</source>
        <translation>: Feld „timeout_s“ muss &gt;= 0 sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>: field &quot;prompt.message&quot; is missing</source>
        <translation>: Feld „prompt.message“ fehlt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: field &quot;prompt.options&quot; must list the answers</source>
        <translation>: Feld „prompt.options“ muss die Antworten auflisten</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>: field &quot;prompt.options&quot; answers must be texts of 1 to %1 characters</source>
        <translation>: Feld „prompt.options“: Antworten müssen Texte mit 1 bis %1 Zeichen sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>: field &quot;prompt.message&quot; is longer than %1 characters</source>
        <translation>: Feld „prompt.message“ ist länger als %1 Zeichen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>: field &quot;prompt.timeout_s&quot; must be &gt;= 0</source>
        <translation>: Feld „prompt.timeout_s“ muss &gt;= 0 sein</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>: parameter_schema field &quot;%1&quot;: default %2</source>
        <translation>: parameter_schema-Feld „%1“: „default“ %2</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>workflow template %1, task %2: no device of type &quot;%3&quot; is configured</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: Es ist kein Gerät vom Typ „%3“ konfiguriert</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>workflow template %1, task %2: field &quot;device&quot; names &quot;%3&quot;, which is not configured</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: Feld „device“ nennt „%3“, das nicht konfiguriert ist</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>workflow template %1, task %2: field &quot;name&quot; repeats an earlier task</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: Feld „name“ wiederholt eine frühere Aufgabe</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>workflow template %1, task %2: field &quot;depends_on&quot; names &quot;%3&quot;, which is not a task of this template</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: Feld „depends_on“ nennt „%3“, das keine Aufgabe dieser Vorlage ist</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>workflow template %1, task %2: field &quot;depends_on&quot; forms a cycle (%3)</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: Feld „depends_on“ bildet einen Zyklus (%3)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>workflow template %1: field &quot;name&quot; must be 1 to 100 letters, digits, spaces, . _ or -</source>
        <translation>Arbeitsablaufvorlage %1: Feld „name“ muss aus 1 bis 100 Buchstaben, Ziffern, Leerzeichen, . _ oder - bestehen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>workflow template %1: field &quot;tasks&quot; has %2 tasks; at most %3 are allowed</source>
        <translation>Arbeitsablaufvorlage %1: Feld „tasks“ hat %2 Aufgaben; höchstens %3 sind erlaubt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>workflow template %1: field &quot;name&quot; is taken by a template shipped with alabos; choose another name</source>
        <translation>Arbeitsablaufvorlage %1: Feld „name“ ist bereits von einer mit alabos mitgelieferten Vorlage belegt; bitte einen anderen Namen wählen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>workflow template %1, task %2: not connected to any other task; it runs alongside them</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: mit keiner anderen Aufgabe verbunden; sie läuft neben ihnen</translation>
    </message>
    <message>
        <location filename="../core/engine/workflowtemplate.cpp" line="+103"/>
        <source>workflow template %1: parameters name task &quot;%2&quot;, which it does not have</source>
        <translation>Arbeitsablaufvorlage %1: parameters nennt die Aufgabe „%2“, die es in der Vorlage nicht gibt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>workflow template %1, task %2: parameters must be an object</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2: parameters muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>workflow template %1, task %2, field &quot;%3&quot;: not a parameter of this task</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2, Feld „%3“: kein Parameter dieser Aufgabe</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>workflow template %1, task %2, field &quot;%3&quot;: %4</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2, Feld „%3“: %4</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>workflow template %1, task %2, field &quot;%3&quot;: required and has no default</source>
        <translation>Arbeitsablaufvorlage %1, Aufgabe %2, Feld „%3“: erforderlich, aber ohne Standardwert</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>cannot read %1</source>
        <translation>%1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: not a JSON object (%2)</source>
        <translation>%1: kein JSON-Objekt (%2)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>stored workflow template %1 is left out: a shipped template has that name</source>
        <translation>gespeicherte Arbeitsablaufvorlage %1 wird übergangen: eine mitgelieferte Vorlage hat diesen Namen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>stored workflow template %1 names itself %2</source>
        <translation>gespeicherte Arbeitsablaufvorlage %1 nennt sich %2</translation>
    </message>
    <message>
        <location filename="../core/storage/embeddedpostgres.cpp" line="+91"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot replace %1: %2</source>
        <translation>%1 kann nicht ersetzt werden: %2</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>ALABOS_PG_BINDIR=%1 holds no executable pg_ctl</source>
        <translation>ALABOS_PG_BINDIR=%1 enthält kein ausführbares pg_ctl</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. Install them with &apos;sudo apt-get install postgresql&apos;, set ALABOS_PG_BINDIR, or point alabos at a server with --database-url.</source>
        <translation>Die PostgreSQL-Serverprogramme (initdb, pg_ctl) wurden unter /usr/lib/postgresql/*/bin nicht gefunden. Installieren Sie sie mit &apos;sudo apt-get install postgresql&apos;, setzen Sie ALABOS_PG_BINDIR oder verweisen Sie alabos mit --database-url auf einen Server.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>could not run %1: %2</source>
        <translation>%1 konnte nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 did not finish within %2 s</source>
        <translation>%1 wurde nicht innerhalb von %2 s fertig</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>cannot read %1: check permissions of the data directory</source>
        <translation>%1 kann nicht gelesen werden: prüfen Sie die Rechte des Datenverzeichnisses</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 names &quot;%2&quot;, which is not a socket folder alabos made (%3XXXXXX); delete %1 and start again</source>
        <translation>%1 nennt &quot;%2&quot;, und das ist kein Socket-Ordner, den alabos angelegt hat (%3XXXXXX); löschen Sie %1 und starten Sie erneut</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>it is a symbolic link</source>
        <translation>er ist ein symbolischer Link</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is not a directory</source>
        <translation>er ist kein Verzeichnis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it is owned by uid %1, not by uid %2 that runs the server</source>
        <translation>er gehört der UID %1, nicht der UID %2, die den Server betreibt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>its mode is %1, not 0700</source>
        <translation>seine Rechte sind %1, nicht 0700</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>refusing the PostgreSQL socket folder %1: %2 (someone else may have made it; remove it, then start again)</source>
        <translation>der PostgreSQL-Socket-Ordner %1 wird abgelehnt: %2 (jemand anderes könnte ihn angelegt haben; entfernen Sie ihn und starten Sie erneut)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cannot inspect the PostgreSQL socket folder %1: %2</source>
        <translation>der PostgreSQL-Socket-Ordner %1 kann nicht geprüft werden: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>cannot create a PostgreSQL socket folder in /tmp: %1</source>
        <translation>in /tmp kann kein PostgreSQL-Socket-Ordner angelegt werden: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>cannot hand the PostgreSQL socket folder %1 to uid %2: %3</source>
        <translation>der PostgreSQL-Socket-Ordner %1 kann nicht an die UID %2 übergeben werden: %3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot write %1: check permissions of the data directory</source>
        <translation>%1 kann nicht geschrieben werden: prüfen Sie die Rechte des Datenverzeichnisses</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cannot create %1/%2: check permissions of the data directory</source>
        <translation>%1/%2 kann nicht angelegt werden: Prüfen Sie die Zugriffsrechte des Datenverzeichnisses</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>alabos runs as root, and PostgreSQL refuses to run as root, but there is no &apos;%1&apos; user to run it as. Install the postgresql package or run alabos as a normal user.</source>
        <translation>alabos läuft als root, PostgreSQL verweigert aber den Betrieb als root, und es gibt keinen Benutzer &apos;%1&apos;, unter dem es laufen könnte. Installieren Sie das Paket postgresql oder starten Sie alabos als normaler Benutzer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot hand %1 to the &apos;%2&apos; user</source>
        <translation>%1 kann nicht an den Benutzer &apos;%2&apos; übergeben werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot take back %1 from the &apos;%2&apos; user</source>
        <translation>%1 kann dem Benutzer &apos;%2&apos; nicht wieder abgenommen werden</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The PostgreSQL server runs as user &apos;%1&apos;, which cannot reach %2 (a directory on the path is not traversable for it, as /root is). Choose a data directory such as /var/lib/alabos with --data-dir.</source>
        <translation>Der PostgreSQL-Server läuft als Benutzer &apos;%1&apos;, der %2 nicht erreichen kann (ein Verzeichnis auf dem Pfad ist für ihn nicht durchsuchbar, so wie /root). Wählen Sie mit --data-dir ein Datenverzeichnis wie /var/lib/alabos.</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>no executable pg_ctl in %1</source>
        <translation>kein ausführbares pg_ctl in %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The database in %1 was made by PostgreSQL %2, but this machine runs PostgreSQL %3. Upgrade it with pg_upgrade or choose another --data-dir.</source>
        <translation>Die Datenbank in %1 wurde mit PostgreSQL %2 angelegt, auf diesem Rechner läuft aber PostgreSQL %3. Aktualisieren Sie sie mit pg_upgrade oder wählen Sie ein anderes --data-dir.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 is not empty but holds no PostgreSQL cluster (no PG_VERSION); move its contents away or choose another --data-dir.</source>
        <translation>%1 ist nicht leer, enthält aber keinen PostgreSQL-Cluster (kein PG_VERSION); verschieben Sie den Inhalt oder wählen Sie ein anderes --data-dir.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>initdb failed for %1: %2</source>
        <translation>initdb für %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The embedded database in %1 asks for passwords, but their file %2 is missing. To set new ones, change every method in %1/pg_hba.conf to &apos;trust&apos; and start alabos again: it then writes new passwords and turns password logins back on.</source>
        <translation>Die eingebettete Datenbank in %1 verlangt Passwörter, aber ihre Datei %2 fehlt. Um neue zu setzen, ändern Sie jede Methode in %1/pg_hba.conf auf &apos;trust&apos; und starten Sie alabos erneut: es schreibt dann neue Passwörter und schaltet die Anmeldung mit Passwort wieder ein.</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>The embedded PostgreSQL server did not start (%1). Its log says:
%2</source>
        <translation>Der eingebettete PostgreSQL-Server ist nicht gestartet (%1). Sein Protokoll meldet:
%2</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>PostgreSQL did not reload %1/pg_hba.conf: %2</source>
        <translation>PostgreSQL hat %1/pg_hba.conf nicht neu geladen: %2</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>The disk holding the database (%1) is nearly full: %2 MB of %3 MB free. The lab goes on while PostgreSQL can write; free space there and alabos recovers by itself.</source>
        <translation>Der Datenträger der Datenbank (%1) ist fast voll: %2 MB von %3 MB frei. Das Labor läuft weiter, solange PostgreSQL schreiben kann; schaffen Sie dort Platz, dann erholt sich alabos von selbst.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The disk holding the database (%1) has room again: %2 MB free</source>
        <translation>Der Datenträger der Datenbank (%1) hat wieder Platz: %2 MB frei</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The embedded PostgreSQL server stopped; alabos starts it again</source>
        <translation>Der eingebettete PostgreSQL-Server wurde beendet; alabos startet ihn erneut</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The embedded PostgreSQL server stopped at %1 and was started again by alabos after %2 s (%3 attempts); committed work is kept, work not yet committed was retried</source>
        <translation>Der eingebettete PostgreSQL-Server wurde um %1 beendet und von alabos nach %2 s wieder gestartet (%3 Versuche); Festgeschriebenes bleibt erhalten, noch nicht Festgeschriebenes wurde erneut versucht</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>The embedded PostgreSQL server started but its roles cannot be set up: %1</source>
        <translation>Der eingebettete PostgreSQL-Server läuft, aber seine Rollen können nicht eingerichtet werden: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot create the database %1 in the embedded PostgreSQL server: %2</source>
        <translation>Die Datenbank %1 kann im eingebetteten PostgreSQL-Server nicht angelegt werden: %2</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Cannot set up the roles&apos; rights in the database %1: %2</source>
        <translation>Die Rechte der Rollen in der Datenbank %1 können nicht eingerichtet werden: %2</translation>
    </message>
    <message>
        <location filename="../core/storage/history.cpp" line="+54"/>
        <source>History query &quot;%1&quot; failed: %2</source>
        <translation>Verlaufsabfrage „%1“ fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location filename="../core/storage/migrations.cpp" line="+59"/>
        <source>The database schema is at version %1, newer than this alabos knows (%2). Use a newer alabos.</source>
        <translation>Das Datenbankschema hat Version %1 und ist neuer, als diese alabos-Version kennt (%2). Verwenden Sie eine neuere alabos-Version.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Schema migration %1 (%2) failed: %3</source>
        <translation>Schemamigration %1 (%2) fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not migrate the database schema: %1</source>
        <translation>Das Datenbankschema konnte nicht migriert werden: %1</translation>
    </message>
    <message>
        <location filename="../core/storage/retention.cpp" line="+80"/>
        <source>a partition span must divide a day into slots of ten minutes or more (10min, 15min, 20min, 30min, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d)</source>
        <translation>eine Partitionsspanne muss einen Tag in Abschnitte von zehn Minuten oder mehr teilen (10min, 15min, 20min, 30min, 1h, 2h, 3h, 4h, 6h, 8h, 12h, 1d)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Could not create partitions: %1</source>
        <translation>Partitionen konnten nicht angelegt werden: %1</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Retention failed: %1</source>
        <translation>Bereinigung nach Aufbewahrungsfrist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Could not sample the lab&apos;s queue: %1</source>
        <translation>Die Warteschlange des Labors konnte nicht erfasst werden: %1</translation>
    </message>
    <message>
        <location filename="../core/storage/samplestore.cpp" line="+61"/>
        <source>Could not look up barcodes: %1</source>
        <translation>Barcodes konnten nicht nachgeschlagen werden: %1</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>The batch has no samples.</source>
        <translation>Der Stapel enthält keine Proben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The batch has %1 samples; at most %2 at a time.</source>
        <translation>Der Stapel enthält %1 Proben; zulässig sind höchstens %2 auf einmal.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A sample batch needs the user who registers it.</source>
        <translation>Ein Probenstapel braucht den Benutzer, der ihn registriert.</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>sample id %1 is not positive</source>
        <translation>Proben-ID %1 ist nicht positiv</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sample id %1 is also on row %2</source>
        <translation>Proben-ID %1 steht auch in Zeile %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>barcode is empty</source>
        <translation>Barcode ist leer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>barcode %1 is also on row %2</source>
        <translation>Barcode %1 steht auch in Zeile %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>position &quot;%1&quot; is not a valid position name</source>
        <translation>Position „%1“ ist kein gültiger Positionsname</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>position %1 is also given to row %2</source>
        <translation>Position %1 ist auch Zeile %2 zugewiesen</translation>
    </message>
    <message numerus="yes">
        <location line="+60"/>
        <source>%n row(s) of the batch are invalid; nothing registered.</source>
        <translation>
            <numerusform>%n Zeile des Stapels ist ungültig; nichts registriert.</numerusform>
            <numerusform>%n Zeilen des Stapels sind ungültig; nichts registriert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../core/domain/listtext.cpp" line="+11"/>
        <source> and %n more</source>
        <translation>
            <numerusform> und %n weitere</numerusform>
            <numerusform> und %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/storage/samplestore.cpp" line="+187"/>
        <source>%1 (workflow %2)</source>
        <translation>%1 (Arbeitsablauf %2)</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n sample(s) not registered: %1</source>
        <translation>
            <numerusform>%n Probe nicht registriert: %1</numerusform>
            <numerusform>%n Proben nicht registriert: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n sample(s) deleted already: %1</source>
        <translation>
            <numerusform>%n Probe bereits gelöscht: %1</numerusform>
            <numerusform>%n Proben bereits gelöscht: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n sample(s) in a running workflow (cancel it first): %1</source>
        <translation>
            <numerusform>%n Probe in einem laufenden Arbeitsablauf (zuerst abbrechen): %1</numerusform>
            <numerusform>%n Proben in einem laufenden Arbeitsablauf (zuerst abbrechen): %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing deleted: %1</source>
        <translation>Nichts gelöscht: %1</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Nothing deleted: the database refused it: %1</source>
        <translation>Nichts gelöscht: die Datenbank hat abgelehnt: %1</translation>
    </message>
    <message>
        <location line="-316"/>
        <location line="+113"/>
        <source>barcode %1 is already registered</source>
        <translation>Barcode %1 ist bereits registriert</translation>
    </message>
    <message>
        <location line="-102"/>
        <location line="+105"/>
        <source>position %1 already holds a sample</source>
        <translation>Position %1 ist bereits mit einer Probe belegt</translation>
    </message>
    <message>
        <location line="-126"/>
        <location line="+129"/>
        <source>sample id %1 is already used</source>
        <translation>Proben-ID %1 ist bereits vergeben</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Nothing registered: %1</source>
        <translation>Nichts registriert: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (and %1 more: %2)</source>
        <translation> (und %1 weitere: %2)</translation>
    </message>
    <message>
        <location line="+160"/>
        <source>Nothing registered: the database refused the batch: %1</source>
        <translation>Nichts registriert: Die Datenbank hat den Stapel abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../core/storage/telemetrystore.cpp" line="+78"/>
        <source>device id is empty</source>
        <translation>Geräte-ID ist leer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>metric is empty</source>
        <translation>Messgröße ist leer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>device id or metric contains a NUL character</source>
        <translation>Geräte-ID oder Messgröße enthält ein NUL-Zeichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>value is not a finite number</source>
        <translation>Wert ist keine endliche Zahl</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>time %1 us is outside 2000..2100</source>
        <translation>Zeitpunkt %1 µs liegt außerhalb von 2000..2100</translation>
    </message>
    <message>
        <location line="+240"/>
        <source>Telemetry store: the consumer name is empty</source>
        <translation>Telemetriespeicher: Der Consumer-Name ist leer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Telemetry store: invalid offset (topic &quot;%1&quot;, partition %2, offset %3); nothing written</source>
        <translation>Telemetriespeicher: ungültiger Offset (Topic „%1“, Partition %2, Offset %3); nichts geschrieben</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Telemetry store: an offset did not move; nothing written</source>
        <translation>Telemetriespeicher: ein Offset wurde nicht weitergesetzt; nichts geschrieben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Telemetry store: %1 partition %2 is already at offset %3, this batch ends at %4 (stale consumer); nothing written</source>
        <translation>Telemetriespeicher: Partition %2 von %1 steht bereits bei Offset %3, dieser Stapel endet bei %4 (veralteter Consumer); nichts geschrieben</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Telemetry store: the connection broke during commit, the batch may or may not be stored; reload the offsets: %1</source>
        <translation>Telemetriespeicher: Die Verbindung brach beim Commit ab; ob der Stapel gespeichert wurde, ist ungewiss. Laden Sie die Offsets neu: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Telemetry store: batch of %1 readings not written: %2</source>
        <translation>Telemetriespeicher: Stapel mit %1 Messwerten nicht geschrieben: %2</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Telemetry store: folding the minute rollups failed: %1</source>
        <translation>Telemetriespeicher: Zusammenführen der Minutenaggregate fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Telemetry store: could not load the offsets of %1: %2</source>
        <translation>Telemetriespeicher: Die Offsets des Consumers %1 konnten nicht geladen werden: %2</translation>
    </message>
    <message>
        <location filename="../core/storage/userdirectory.cpp" line="+82"/>
        <source>The password is wrong.</source>
        <translation>Das Passwort ist falsch.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The user name or the password is wrong.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>This account is disabled; ask an administrator.</source>
        <translation>Dieses Konto ist deaktiviert; wenden Sie sich an einen Administrator.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This account is locked after %1 failed sign-ins; try again in %2 minutes or ask an administrator.</source>
        <translation>Dieses Konto ist nach %1 fehlgeschlagenen Anmeldungen gesperrt; versuchen Sie es in %2 Minuten erneut oder fragen Sie einen Administrator.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Demo accounts work only in a simulated lab&apos;s database.</source>
        <translation>Demo-Konten gelten nur in der Datenbank eines simulierten Labors.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This account has no password yet: an administrator must set one before it can sign in.</source>
        <translation>Dieses Konto hat noch kein Passwort: ein Administrator muss eines setzen, bevor es sich anmelden kann.</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>This database was not created for a simulated lab: it gets no demo accounts. Use a new data directory for a simulation.</source>
        <translation>Diese Datenbank wurde nicht für ein simuliertes Labor angelegt: sie bekommt keine Demo-Konten. Verwenden Sie für eine Simulation ein neues Datenverzeichnis.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The administrator&apos;s password: %1</source>
        <translation>Das Passwort des Administrators: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>args.role &quot;%1&quot; is not a role (operator, technician, supervisor, admin)</source>
        <translation>args.role &quot;%1&quot; ist keine Rolle (operator, technician, supervisor, admin)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>args.display_name has %1 characters; at most %2 are allowed</source>
        <translation>args.display_name hat %1 Zeichen; höchstens %2 sind erlaubt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>args.disabled must be true or false</source>
        <translation>args.disabled muss true oder false sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>args.password: %1</source>
        <translation>args.password: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>args.name &quot;%1&quot; is not a user name: a lower-case letter, then up to 62 letters, digits, &apos;_&apos;, &apos;.&apos; or &apos;-&apos;</source>
        <translation>args.name &quot;%1&quot; ist kein Benutzername: ein Kleinbuchstabe, dann bis zu 62 Buchstaben, Ziffern, &apos;_&apos;, &apos;.&apos; oder &apos;-&apos;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>a new user needs args.role and args.password</source>
        <translation>ein neuer Benutzer braucht args.role und args.password</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is already a user &quot;%1&quot;.</source>
        <translation>Es gibt bereits einen Benutzer &quot;%1&quot;.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The account &quot;admin&quot; stays an enabled administrator, so the lab always has one.</source>
        <translation>Das Konto &quot;admin&quot; bleibt ein aktiver Administrator, damit das Labor immer einen hat.</translation>
    </message>
    <message>
        <location filename="../core/security/passwords.cpp" line="+69"/>
        <source>A password needs at least %1 characters.</source>
        <translation>Ein Passwort muss mindestens %1 Zeichen lang sein.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A password may have at most %1 characters.</source>
        <translation>Ein Passwort darf höchstens %1 Zeichen haben.</translation>
    </message>
    <message>
        <location filename="../core/storage/userdirectory.cpp" line="-166"/>
        <location line="+174"/>
        <source>There is no user &quot;%1&quot;.</source>
        <translation>Es gibt keinen Benutzer „%1“.</translation>
    </message>
    <message>
        <location filename="../ui/alarmtablemodel.cpp" line="+26"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Active, unacknowledged</source>
        <translation>Aktiv, nicht quittiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned to normal, unacknowledged</source>
        <translation>Wieder normal, nicht quittiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelved until %1</source>
        <translation>Zurückgestellt bis %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cleared</source>
        <translation>Aufgehoben</translation>
    </message>
    <message>
        <location filename="../ui/devicetablemodel.cpp" line="+32"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Idle</source>
        <translation>Frei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Busy</source>
        <translation>Belegt</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../ui/tasktablemodel.cpp" line="+19"/>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Maintenance</source>
        <translation>Wartung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/panels.cpp" line="+24"/>
        <location filename="../ui/workfloweditor.cpp" line="+110"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+5"/>
        <source>Alarms</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarms (%1 unacknowledged)</source>
        <translation>Alarme (%1 nicht quittiert)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>Prompts</source>
        <translation>Rückfragen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Prompts (%1 open)</source>
        <translation>Rückfragen (%1 offen)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/tasktablemodel.cpp" line="-6"/>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location filename="../core/bus/telemetrycodec.cpp" line="+111"/>
        <source>telemetry reading of device &quot;%1&quot; metric &quot;%2&quot; is not valid (a name empty or longer than %3 characters, or a value that is not a finite number)</source>
        <translation>Messwert von Gerät &quot;%1&quot;, Größe &quot;%2&quot; ist ungültig (ein Name leer oder länger als %3 Zeichen, oder ein Wert, der keine endliche Zahl ist)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>telemetry reading of %1 bytes exceeds the limit of %2</source>
        <translation>Telemetrie-Messwert mit %1 Bytes überschreitet die Grenze von %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>telemetry reading is not a JSON object: %1</source>
        <translation>Telemetrie-Messwert ist kein JSON-Objekt: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unknown telemetry format version %1</source>
        <translation>unbekannte Version %1 des Telemetrieformats</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>telemetry reading lacks one of device_id, metric, value, time_us or has the wrong type</source>
        <translation>dem Telemetrie-Messwert fehlt eines der Felder device_id, metric, value, time_us, oder eines hat den falschen Typ</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>telemetry reading&apos;s device_id or metric is longer than %1 characters or is not valid Unicode</source>
        <translation>device_id oder metric des Messwerts ist länger als %1 Zeichen oder kein gültiges Unicode</translation>
    </message>
    <message>
        <location filename="../core/drivers/devicedriver.cpp" line="+118"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>parameter &quot;%1&quot; is required</source>
        <translation>Parameter „%1“ ist erforderlich</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>parameter &quot;%1&quot; must be a number</source>
        <translation>Parameter „%1“ muss eine Zahl sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>parameter &quot;%1&quot; must be an integer (got %2)</source>
        <translation>Parameter „%1“ muss eine ganze Zahl sein (erhalten: %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>parameter &quot;%1&quot; = %2 %3 is out of range [%4, %5]</source>
        <translation>Parameter „%1“ = %2 %3 liegt außerhalb des Bereichs [%4, %5]</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>parameter &quot;%1&quot; must be a string</source>
        <translation>Parameter „%1“ muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>parameter &quot;%1&quot; must be true or false</source>
        <translation>Parameter „%1“ muss true oder false sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>unknown parameter &quot;%1&quot;</source>
        <translation>unbekannter Parameter „%1“</translation>
    </message>
    <message>
        <location filename="../core/drivers/driverregistry.cpp" line="+27"/>
        <source>%1: unknown field &quot;%2&quot;</source>
        <translation>%1: unbekanntes Feld „%2“</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+144"/>
        <source>device %1</source>
        <translation>Gerät %1</translation>
    </message>
    <message>
        <location line="-137"/>
        <source>%1: field &quot;type&quot;: no simulated device of type &quot;%2&quot; (known: %3)</source>
        <translation>%1: Feld „type“: kein simuliertes Gerät vom Typ „%2“ (bekannt: %3)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: field &quot;acceleration&quot; must be a number in (0, 1e6]</source>
        <translation>%1: Feld „acceleration“ muss eine Zahl in (0, 1e6] sein</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: field &quot;failures&quot;: %2</source>
        <translation>%1: Feld „failures“: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../core/drivers/modbusregistermap.cpp" line="+278"/>
        <location filename="../core/drivers/processdriver.cpp" line="+152"/>
        <location filename="../core/engine/templatecheck.cpp" line="-421"/>
        <location filename="../core/remote/devicemessages.cpp" line="+7"/>
        <source>must be an object</source>
        <translation>muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>device config: field &quot;id&quot; must be a non-empty string</source>
        <translation>Gerätekonfiguration: Feld „id“ muss eine nicht leere Zeichenkette sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: field &quot;type&quot; must be a non-empty string</source>
        <translation>%1: Feld „type“ muss eine nicht leere Zeichenkette sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: field &quot;driver&quot; must be one of %2 (got %3)</source>
        <translation>%1: Feld „driver“ muss eines von %2 sein (erhalten: %3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no string</source>
        <translation>keine Zeichenkette</translation>
    </message>
    <message>
        <location filename="../core/drivers/modbusdriver.cpp" line="+313"/>
        <location filename="../core/drivers/processdriver.cpp" line="+382"/>
        <location filename="../core/drivers/scpidriver.cpp" line="+450"/>
        <source>device %1: %2</source>
        <translation>Gerät %1: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>field &quot;%1&quot; is unknown</source>
        <translation>Feld &quot;%1&quot; ist unbekannt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>field &quot;host&quot; must be a host name or address</source>
        <translation>Feld „host“ muss ein Hostname oder eine Adresse sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>field &quot;port&quot; must be an integer in [1, 65535]</source>
        <translation>Feld „port“ muss eine ganze Zahl in [1, 65535] sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>field &quot;register_map&quot; must be an object</source>
        <translation>Feld „register_map“ muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>field &quot;register_map_file&quot;: cannot read %1: %2</source>
        <translation>Feld „register_map_file“: %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>field &quot;register_map_file&quot;: %1 is not a JSON object (%2)</source>
        <translation>Feld „register_map_file“: %1 ist kein JSON-Objekt (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>field &quot;register_map&quot; is missing (or give &quot;register_map_file&quot;)</source>
        <translation>Feld &quot;register_map&quot; fehlt (oder &quot;register_map_file&quot; angeben)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>field &quot;poll_ms&quot; must be an integer in [100, 3600000]</source>
        <translation>Feld &quot;poll_ms&quot; muss eine ganze Zahl in [100, 3600000] sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/modbusregistermap.cpp" line="-226"/>
        <source>register &quot;%1&quot;: value is not a finite number</source>
        <translation>Register „%1“: Wert ist keine endliche Zahl</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>register &quot;%1&quot;: a coil takes 0 or 1, not %2</source>
        <translation>Register „%1“: Ein Coil nimmt nur 0 oder 1 an, nicht %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>register &quot;%1&quot;: %2 %3 does not fit a float32 (raw %4)</source>
        <translation>Register &quot;%1&quot;: %2 %3 passt nicht in ein float32 (roh %4)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>register &quot;%1&quot;: %2 %3 does not fit (raw %4 outside [%5, %6])</source>
        <translation>Register „%1“: %2 %3 passt nicht (Rohwert %4 außerhalb von [%5, %6])</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>register map: field &quot;%1&quot; %2</source>
        <translation>Registerzuordnung: Feld „%1“ %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+105"/>
        <location line="+121"/>
        <location line="+17"/>
        <location filename="../core/drivers/scpidriver.cpp" line="-313"/>
        <location line="+9"/>
        <source>is missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <location line="-238"/>
        <source>must be an integer in [%1, %2]</source>
        <translation>muss eine ganze Zahl in [%1, %2] sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../core/drivers/processdriver.cpp" line="-470"/>
        <location filename="../core/drivers/scpidriver.cpp" line="-43"/>
        <location line="+30"/>
        <location line="+87"/>
        <source>is unknown</source>
        <translation>ist unbekannt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>names &quot;%1&quot;, which is not a parameter of command &quot;%2&quot;</source>
        <translation>nennt „%1“, das kein Parameter des Befehls „%2“ ist</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>must be a number or &quot;$parameter&quot;</source>
        <translation>muss eine Zahl oder „$parameter“ sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/devicedriver.cpp" line="-75"/>
        <location filename="../core/drivers/modbusregistermap.cpp" line="+5"/>
        <location line="+178"/>
        <location filename="../core/drivers/scpidriver.cpp" line="-98"/>
        <source>must be an array</source>
        <translation>muss ein Array sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/modbusregistermap.cpp" line="-168"/>
        <location line="+247"/>
        <source>names &quot;%1&quot;, which is not in &quot;registers&quot;</source>
        <translation>nennt „%1“, das nicht in „registers“ steht</translation>
    </message>
    <message>
        <location line="-244"/>
        <source>names &quot;%1&quot;, which is read-only</source>
        <translation>nennt „%1“, das schreibgeschützt ist</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>must be a non-empty array</source>
        <translation>muss ein nicht leeres Array sein</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>&quot;%1&quot; is used twice</source>
        <translation>„%1“ wird zweimal verwendet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be coil, discrete_input, input or holding (got &quot;%1&quot;)</source>
        <translation>muss coil, discrete_input, input oder holding sein (erhalten: „%1“)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>does not apply to a coil or discrete input</source>
        <translation>gilt nicht für Coils und Discrete Inputs</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>does not apply to a single bit (&quot;bit&quot;)</source>
        <translation>gilt nicht für ein einzelnes Bit (&quot;bit&quot;)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+40"/>
        <source>must be big or little</source>
        <translation>muss big oder little sein</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>must be uint16, int16, uint32, int32 or float32 (got &quot;%1&quot;)</source>
        <translation>muss uint16, int16, uint32, int32 oder float32 sein (erhalten: „%1“)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>leaves no room for a 32-bit value</source>
        <translation>lässt keinen Platz für einen 32-Bit-Wert</translation>
    </message>
    <message>
        <location filename="../core/drivers/devicedriver.cpp" line="+21"/>
        <location filename="../core/drivers/modbusregistermap.cpp" line="+6"/>
        <location line="+93"/>
        <location filename="../core/engine/templatecheck.cpp" line="+246"/>
        <source>must be a number</source>
        <translation>muss eine Zahl sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/modbusregistermap.cpp" line="-84"/>
        <source>applies to 32-bit formats only</source>
        <translation>gilt nur für 32-Bit-Formate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be high_first or low_first</source>
        <translation>muss high_first oder low_first sein</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>must not be 0</source>
        <translation>darf nicht 0 sein</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>has the wrong type</source>
        <translation>hat den falschen Typ</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>is used twice</source>
        <translation>wird zweimal verwendet</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>must be number, integer or bool</source>
        <translation>muss number, integer oder bool sein</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>is above &quot;max&quot;</source>
        <translation>liegt über „max“</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>conflicts with &quot;%1&quot;</source>
        <translation>steht im Widerspruch zu „%1“</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>(or at_least, at_most) is missing</source>
        <translation>(oder at_least, at_most) fehlt</translation>
    </message>
    <message>
        <location filename="../core/drivers/scpidriver.cpp" line="-77"/>
        <source>parameter &quot;%1&quot; cannot be sent to the instrument</source>
        <translation>Parameter „%1“ kann nicht an das Instrument gesendet werden</translation>
    </message>
    <message>
        <location filename="../core/drivers/devicedriver.cpp" line="-32"/>
        <source>%1: must be an object</source>
        <translation>%1: muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <location filename="../core/drivers/scpidriver.cpp" line="+181"/>
        <source>must be a name of 1 to 64 characters</source>
        <translation>muss ein Name mit 1 bis 64 Zeichen sein</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>must be a name</source>
        <translation>muss ein Name sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/processdriver.cpp" line="-16"/>
        <location filename="../core/drivers/scpidriver.cpp" line="-132"/>
        <source>field &quot;%1&quot; %2</source>
        <translation>Feld „%1“ %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>must name the driver program (a path, or a command on PATH)</source>
        <translation>muss das Treiberprogramm nennen (einen Pfad oder einen Befehl im PATH)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; is not a command on PATH</source>
        <translation>&quot;%1&quot; ist kein Befehl im PATH</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 does not exist</source>
        <translation>%1 existiert nicht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is not an executable file (chmod +x, and a #! line for a script)</source>
        <translation>%1 ist keine ausführbare Datei (chmod +x, und eine #!-Zeile für ein Skript)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be an array of at most 256 strings</source>
        <translation>muss eine Liste von höchstens 256 Zeichenketten sein</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be a string of at most 4096 characters</source>
        <translation>muss eine Zeichenkette von höchstens 4096 Zeichen sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be a folder</source>
        <translation>muss ein Ordner sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not a folder</source>
        <translation>%1 ist kein Ordner</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>must be an object of NAME: &quot;value&quot;</source>
        <translation>muss ein Objekt aus NAME: &quot;Wert&quot; sein</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be a string (and the name must not contain =)</source>
        <translation>muss eine Zeichenkette sein (und der Name darf kein = enthalten)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>must be a whole number from %1 to %2</source>
        <translation>muss eine ganze Zahl von %1 bis %2 sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/scpidriver.cpp" line="+13"/>
        <source>must be a host name or address</source>
        <translation>muss ein Hostname oder eine Adresse sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must be an integer in [1, 65535]</source>
        <translation>muss eine ganze Zahl in [1, 65535] sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>must be an integer in [10, 600000]</source>
        <translation>muss eine ganze Zahl in [10, 600000] sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/devicedriver.cpp" line="+6"/>
        <location filename="../core/drivers/scpidriver.cpp" line="+35"/>
        <source>must be number, integer, string or bool</source>
        <translation>muss number, integer, string oder bool sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/scpidriver.cpp" line="+17"/>
        <source>must be a string or an array of strings</source>
        <translation>muss eine Zeichenkette oder ein Array von Zeichenketten sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(or &quot;query&quot;) is missing</source>
        <translation>(oder „query“) fehlt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>must not contain a newline</source>
        <translation>darf keinen Zeilenumbruch enthalten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>uses {%1}, which is not a parameter</source>
        <translation>verwendet {%1}, das kein Parameter ist</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>must be number or string</source>
        <translation>muss number oder string sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be an integer in [100, 3600000]</source>
        <translation>muss eine ganze Zahl in [100, 3600000] sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>must be an array of {&quot;name&quot;, &quot;query&quot;, &quot;unit&quot;}</source>
        <translation>muss eine Liste von {&quot;name&quot;, &quot;query&quot;, &quot;unit&quot;} sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>has more than 64 queries</source>
        <translation>hat mehr als 64 Abfragen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>must be one SCPI query line without placeholders</source>
        <translation>muss eine SCPI-Abfragezeile ohne Platzhalter sein</translation>
    </message>
    <message>
        <location filename="../core/drivers/simulatedbehaviours.cpp" line="+44"/>
        <source>Dispense precursor powder into a crucible</source>
        <translation>Präkursorpulver in einen Tiegel dosieren</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Weigh the crucible</source>
        <translation>Tiegel wiegen</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Source position</source>
        <translation>Ausgangsposition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Target position</source>
        <translation>Zielposition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move a sample between positions</source>
        <translation>Probe zwischen Positionen bewegen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&quot;from&quot; and &quot;to&quot; are the same position</source>
        <translation>„from“ und „to“ sind dieselbe Position</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Run a temperature profile</source>
        <translation>Temperaturprofil fahren</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Grind the fired sample</source>
        <translation>Gebrannte Probe mahlen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Record an X-ray diffraction pattern</source>
        <translation>Röntgendiffraktogramm aufnehmen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;two_theta_start&quot; must be below &quot;two_theta_end&quot;</source>
        <translation>„two_theta_start“ muss kleiner als „two_theta_end“ sein</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Aspirate and dispense liquid</source>
        <translation>Flüssigkeit aufnehmen und abgeben</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Run a step</source>
        <translation>Einen Schritt ausführen</translation>
    </message>
    <message>
        <location filename="../core/drivers/simulateddevice.cpp" line="+68"/>
        <source>failures: unknown field &quot;%1&quot;</source>
        <translation>failures: unbekanntes Feld „%1“</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failures: field &quot;%1&quot; has a bad value</source>
        <translation>failures: Feld „%1“ hat einen ungültigen Wert</translation>
    </message>
    <message>
        <location filename="../ui/eventlogpanel.cpp" line="+33"/>
        <source>%1, task %2</source>
        <translation>%1, Aufgabe %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location filename="../ui/sampleforms.cpp" line="+17"/>
        <source>The sample form definition is missing from this build</source>
        <translation>Die Definition des Probenformulars fehlt in diesem Build</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The sample form definition is not valid JSON: %1</source>
        <translation>Die Definition des Probenformulars ist kein gültiges JSON: %1</translation>
    </message>
    <message>
        <location filename="../ui/workflowspanel.cpp" line="+111"/>
        <source>%1 on a %2, about %3 s</source>
        <translation>%1 auf einem Gerät vom Typ %2, etwa %3 s</translation>
    </message>
    <message>
        <location filename="../core/domain/enginetypes.cpp" line="+38"/>
        <source>prompt: field &quot;id&quot; must be a number</source>
        <translation>Rückfrage: Feld „id“ muss eine Zahl sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>prompt: field &quot;message&quot; must be a string</source>
        <translation>Rückfrage: Feld „message“ muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>prompt: field &quot;options&quot; must be an array of strings</source>
        <translation>Rückfrage: Feld „options“ muss ein Array von Zeichenketten sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>prompt: field &quot;status&quot; must be open, answered, expired or cancelled</source>
        <translation>Rückfrage: Feld „status“ muss open, answered, expired oder cancelled sein</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>position: field &quot;name&quot; is missing</source>
        <translation>Position: Feld „name“ fehlt</translation>
    </message>
    <message>
        <location filename="../core/storage/pgutil.cpp" line="+20"/>
        <source>%1 cannot reach the database: %2</source>
        <translation>%1 erreicht die Datenbank nicht: %2</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>none of the %1 database addresses answered; the last: %2</source>
        <translation>keine der %1 Datenbankadressen hat geantwortet; die letzte: %2</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>(unparsable connection string)</source>
        <translation>(nicht lesbare Verbindungsangabe)</translation>
    </message>
    <message>
        <location filename="../core/storage/schedulerlease.cpp" line="+47"/>
        <source>cannot read who runs the scheduler: %1</source>
        <translation>es lässt sich nicht lesen, wer den Scheduler betreibt: %1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Cannot take the scheduler lock in PostgreSQL: %1</source>
        <translation>Die Scheduler-Sperre in PostgreSQL kann nicht genommen werden: %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Cannot record the scheduler in PostgreSQL: %1</source>
        <translation>Der Scheduler kann nicht in PostgreSQL eingetragen werden: %1</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>the advisory lock is no longer held</source>
        <translation>die Advisory-Sperre wird nicht mehr gehalten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The scheduler&apos;s lock connection to PostgreSQL was lost (%1); no new tasks start until it is back</source>
        <translation>Die Sperrverbindung des Schedulers zu PostgreSQL ist verloren (%1); bis sie zurück ist, beginnen keine neuen Aufgaben</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>another process took the scheduler lock while this one was cut off from PostgreSQL</source>
        <translation>ein anderer Prozess hat die Scheduler-Sperre übernommen, während dieser von PostgreSQL getrennt war</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>another scheduler led this lab while this one was cut off from PostgreSQL</source>
        <translation>ein anderer Scheduler hat dieses Labor geführt, während dieser von PostgreSQL getrennt war</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Scheduler leadership lost (%1); stopping, so that no two schedulers run the lab at once</source>
        <translation>Scheduler-Rolle verloren (%1); alabos beendet sich, damit nie zwei Scheduler das Labor gleichzeitig steuern</translation>
    </message>
    <message>
        <location filename="../app/consolewiring.cpp" line="+51"/>
        <source>the password could not be set</source>
        <translation>das Passwort konnte nicht gesetzt werden</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>the lab could not be exported</source>
        <translation>das Labor konnte nicht exportiert werden</translation>
    </message>
    <message>
        <location filename="../core/engine/devicecommands.cpp" line="+56"/>
        <source>args.driver must name a driver kind (simulated, modbus, scpi, process...)</source>
        <translation>args.driver muss eine Treiberart nennen (simulated, modbus, scpi, process ...)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>args.settings must be an object of the driver&apos;s settings</source>
        <translation>args.settings muss ein Objekt mit den Einstellungen des Treibers sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>args.settings must not contain &quot;%1&quot; (it is args.%1 or the device&apos;s name)</source>
        <translation>args.settings darf &quot;%1&quot; nicht enthalten (das ist args.%1 oder der Name des Geräts)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>args.settings is larger than %1 KiB</source>
        <translation>args.settings ist größer als %1 KiB</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>args.driver is missing: name the driver kind that runs the device (simulated, modbus, scpi, process...)</source>
        <translation>args.driver fehlt: nennen Sie die Treiberart des Geräts (simulated, modbus, scpi, process ...)</translation>
    </message>
    <message>
        <location filename="../core/security/crypto.cpp" line="+67"/>
        <source>cannot write the scheduler&apos;s signing key %1: %2</source>
        <translation>der Signaturschlüssel des Schedulers %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the signing key %1 is not a regular file</source>
        <translation>der Signaturschlüssel %1 ist keine normale Datei</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the signing key %1 may be read by others or belongs to another user (mode %2): only its owner may read it (chmod 600)</source>
        <translation>der Signaturschlüssel %1 ist für andere lesbar oder gehört einem anderen Benutzer (Rechte %2): nur sein Besitzer darf ihn lesen (chmod 600)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot read the signing key %1: %2</source>
        <translation>der Signaturschlüssel %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the signing key %1 is damaged (%2 bytes, expected %3)</source>
        <translation>der Signaturschlüssel %1 ist beschädigt (%2 Bytes, erwartet %3)</translation>
    </message>
    <message>
        <location filename="../core/security/sessions.cpp" line="+39"/>
        <source>the command carries no session: sign in first</source>
        <translation>der Befehl trägt keine Sitzung: melden Sie sich zuerst an</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the session is not open (signed out, ended by an administrator, or the scheduler restarted): sign in again</source>
        <translation>die Sitzung ist nicht offen (abgemeldet, von einem Administrator beendet oder der Scheduler wurde neu gestartet): melden Sie sich erneut an</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the session has expired: sign in again</source>
        <translation>die Sitzung ist abgelaufen: melden Sie sich erneut an</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the session belongs to another console</source>
        <translation>die Sitzung gehört zu einer anderen Konsole</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the command&apos;s proof of its session is wrong</source>
        <translation>der Nachweis der Sitzung in diesem Befehl ist falsch</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the session ended</source>
        <translation>die Sitzung ist beendet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the command was already received once (a replay)</source>
        <translation>der Befehl wurde bereits einmal empfangen (eine Wiederholung)</translation>
    </message>
    <message>
        <location filename="../core/storage/audittrail.cpp" line="+68"/>
        <source>row %1 does not follow the row before it: a row was removed or inserted out of turn</source>
        <translation>Zeile %1 folgt nicht auf die Zeile davor: eine Zeile wurde entfernt oder außer der Reihe eingefügt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>row %1 was changed after it was written: its content does not match its hash</source>
        <translation>Zeile %1 wurde nach dem Schreiben geändert: ihr Inhalt passt nicht zu ihrem Hash</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the anchor at row %1 is signed by a key this scheduler does not trust (%2)</source>
        <translation>der Anker bei Zeile %1 ist mit einem Schlüssel signiert, dem dieser Scheduler nicht vertraut (%2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the anchor at row %1 has a wrong signature</source>
        <translation>der Anker bei Zeile %1 hat eine falsche Signatur</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>row %1, signed by the scheduler, is gone</source>
        <translation>Zeile %1, vom Scheduler signiert, fehlt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>row %1 or a row before it was rewritten: its hash differs from the one the scheduler signed</source>
        <translation>Zeile %1 oder eine Zeile davor wurde umgeschrieben: ihr Hash weicht von dem ab, den der Scheduler signiert hat</translation>
    </message>
    <message>
        <location filename="../core/storage/sampleregistrar.cpp" line="+33"/>
        <source>&quot;%1&quot; has %2 characters; at most %3</source>
        <translation>„%1“ hat %2 Zeichen; höchstens %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; contains a control character (U+%2)</source>
        <translation>„%1“ enthält ein Steuerzeichen (U+%2)</translation>
    </message>
    <message>
        <location filename="../core/domain/commands.cpp" line="+194"/>
        <source>argument %1 is nested more than %2 levels deep</source>
        <translation>Argument %1 ist tiefer als %2 Ebenen verschachtelt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>argument %1 is %2 characters long; at most %3 are accepted</source>
        <translation>Argument %1 ist %2 Zeichen lang; höchstens %3 werden angenommen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>argument %1 holds a control character (U+%2) at position %3</source>
        <translation>Argument %1 enthält ein Steuerzeichen (U+%2) an Position %3</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>argument %1 has a key longer than %2 characters or with a control character</source>
        <translation>Argument %1 hat einen Schlüssel, der länger als %2 Zeichen ist oder ein Steuerzeichen enthält</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: the entity id is %2 characters long; at most %3 are accepted</source>
        <translation>%1: die Objektkennung ist %2 Zeichen lang; höchstens %3 werden angenommen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the entity id holds a control character</source>
        <translation>%1: die Objektkennung enthält ein Steuerzeichen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: the arguments take %2 KiB; at most %3 KiB are accepted</source>
        <translation>%1: die Argumente belegen %2 KiB; höchstens %3 KiB werden angenommen</translation>
    </message>
    <message>
        <location filename="../core/storage/storagewriter.cpp" line="+208"/>
        <source>The database cannot write, its disk is full (%1); nothing is lost, the lab&apos;s changes wait until there is room</source>
        <translation>Die Datenbank kann nicht schreiben, ihr Datenträger ist voll (%1); nichts geht verloren, die Änderungen des Labors warten, bis wieder Platz ist</translation>
    </message>
    <message>
        <location filename="../core/storage/apitokenstore.cpp" line="+35"/>
        <source>args.name must be 1 to %1 characters (it is %2)</source>
        <translation>args.name muss 1 bis %1 Zeichen lang sein (es sind %2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>args.expiresInDays must be 1 to %1 (it is %2)</source>
        <translation>args.expiresInDays muss 1 bis %1 sein (es ist %2)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>There is no enabled user &quot;%1&quot;.</source>
        <translation>Es gibt keinen aktiven Benutzer „%1“.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>You have no API token &quot;%1&quot;.</source>
        <translation>Sie haben kein API-Token „%1“.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The API token &quot;%1&quot; is revoked already.</source>
        <translation>Das API-Token „%1“ ist bereits widerrufen.</translation>
    </message>
    <message>
        <location filename="../app/driverhost.cpp" line="+27"/>
        <source>cannot read the schedulers&apos; keys: %1</source>
        <translation>die Schlüssel der Scheduler können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../core/remote/devicemessages.cpp" line="-23"/>
        <source>must be a text of at most %1 characters</source>
        <translation>muss ein Text mit höchstens %1 Zeichen sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be a whole number from 0</source>
        <translation>muss eine ganze Zahl ab 0 sein</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>must be an array of at most %1 items</source>
        <translation>muss ein Array mit höchstens %1 Einträgen sein</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>message of %1 bytes (at most %2)</source>
        <translation>Nachricht mit %1 Bytes (höchstens %2)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&quot;v&quot; must be 1</source>
        <translation>&quot;v&quot; muss 1 sein</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>must be execute, cancel or query</source>
        <translation>muss execute, cancel oder query sein</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>&quot;host&quot; or &quot;device&quot; is not a valid name</source>
        <translation>&quot;host&quot; oder &quot;device&quot; ist kein gültiger Name</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>must be heartbeat, result or state</source>
        <translation>muss heartbeat, result oder state sein</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;host&quot;, &quot;boot&quot; or &quot;device&quot; is not a valid name</source>
        <translation>&quot;host&quot;, &quot;boot&quot; oder &quot;device&quot; ist kein gültiger Name</translation>
    </message>
    <message>
        <location filename="../core/storage/labkeys.cpp" line="+48"/>
        <source>driver host %1 is registered in this lab with another key: its key file was replaced, or another machine uses the name %1. An administrator who trusts this machine removes the old key with: DELETE FROM driver_host_keys WHERE host = &apos;%1&apos; (as the database owner)</source>
        <translation>Treiber-Host %1 ist in diesem Labor mit einem anderen Schlüssel registriert: Seine Schlüsseldatei wurde ersetzt, oder ein anderer Rechner verwendet den Namen %1. Ein Administrator, der diesem Rechner vertraut, entfernt den alten Schlüssel mit: DELETE FROM driver_host_keys WHERE host = &apos;%1&apos; (als Eigentümer der Datenbank)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>cannot register driver host %1: %2</source>
        <translation>Treiber-Host %1 kann nicht registriert werden: %2</translation>
    </message>
    <message>
        <location filename="../ui/workflowcanvas.cpp" line="+60"/>
        <source>(no device type)</source>
        <translation>(kein Gerätetyp)</translation>
    </message>
    <message>
        <location filename="../ui/workfloweditor.cpp" line="-1"/>
        <source>Device of type</source>
        <translation>Gerät vom Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+158"/>
        <source>%1 to %2 %3</source>
        <translation>%1 bis %2 %3</translation>
    </message>
    <message>
        <location filename="../core/bus/streamsigning.cpp" line="+52"/>
        <source>a digest list of %1 bytes, more than %2</source>
        <translation>eine Digest-Liste mit %1 Bytes, mehr als %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a digest list that is not a JSON object: %1</source>
        <translation>eine Digest-Liste, die kein JSON-Objekt ist: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a digest list of an unknown version</source>
        <translation>eine Digest-Liste unbekannter Version</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>a digest list whose &quot;digests&quot; are not base64 of %1-byte digests</source>
        <translation>eine Digest-Liste, deren &quot;digests&quot; kein Base64 von %1-Byte-Digests sind</translation>
    </message>
</context>
<context>
    <name>SampleBatch</name>
    <message>
        <location filename="../ui/csvimport.cpp" line="+113"/>
        <source>Columns %1 and %2 are both &quot;%3&quot;</source>
        <translation>Die Spalten %1 und %2 heißen beide „%3“</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Column %1 &quot;%2&quot; is not a field of the sample form (%3); rename or remove it so nothing is lost</source>
        <translation>Spalte %1 „%2“ ist kein Feld des Probenformulars (%3); benennen Sie sie um oder entfernen Sie sie, damit nichts verloren geht</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The required column &quot;%1&quot; is missing</source>
        <translation>Die Pflichtspalte „%1“ fehlt</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>The header has %1 columns; at most %2</source>
        <translation>Die Kopfzeile hat %1 Spalten; höchstens %2</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>The file is %1 MB; at most 4,000 MB can be checked</source>
        <translation>Die Datei ist %1 MB groß; höchstens 4.000 MB können geprüft werden</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>The file has more than %1 rows; at most %1 in one import. Split the file.</source>
        <translation>Die Datei hat mehr als %1 Zeilen; höchstens %1 pro Import. Teilen Sie die Datei auf.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The file has a header but no rows</source>
        <translation>Die Datei hat eine Kopfzeile, aber keine Zeilen</translation>
    </message>
    <message numerus="yes">
        <location line="+62"/>
        <source>%n value(s)</source>
        <translation>
            <numerusform>%n Wert</numerusform>
            <numerusform>%n Werte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>; the header has %n column(s)</source>
        <translation>
            <numerusform>; die Kopfzeile hat %n Spalte</numerusform>
            <numerusform>; die Kopfzeile hat %n Spalten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+98"/>
        <source>Barcode &quot;%1&quot; is also on line %2</source>
        <translation>Barcode „%1“ steht auch in Zeile %2</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Barcode &quot;%1&quot; is already registered</source>
        <translation>Barcode „%1“ ist bereits registriert</translation>
    </message>
</context>
<context>
    <name>alabos</name>
    <message>
        <location filename="../app/options.cpp" line="+797"/>
        <source>Show this help and exit.</source>
        <translation>Diese Hilfe anzeigen und beenden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the version and exit.</source>
        <translation>Die Version anzeigen und beenden.</translation>
    </message>
    <message>
        <location line="-517"/>
        <source>Run without a window (a lab server or CI): print a progress line every few seconds and a summary at the end.</source>
        <translation>Ohne Fenster ausführen (Laborserver oder CI): alle paar Sekunden eine Fortschrittszeile und am Ende eine Zusammenfassung ausgeben.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Stop after SECONDS and print a summary.</source>
        <translation>Nach SECONDS Sekunden beenden und eine Zusammenfassung ausgeben.</translation>
    </message>
    <message>
        <location line="+235"/>
        <source>A Kafka client property passed through, e.g. security.protocol=SASL_SSL; repeatable.</source>
        <translation>Eine durchgereichte Kafka-Client-Eigenschaft, z. B. security.protocol=SASL_SSL; mehrfach angebbar.</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Run the embedded database without fsync (tests and demos only: a power cut can lose data).</source>
        <translation>Die eingebettete Datenbank ohne fsync betreiben (nur für Tests und Demos: Bei einem Stromausfall können Daten verloren gehen).</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>Be a console only: show the lab of the scheduler that uses --database-url and send commands to it through Kafka; never run the scheduler here.</source>
        <translation>Nur Konsole sein: das Labor des Schedulers zeigen, der --database-url verwendet, und Befehle über Kafka an ihn senden; hier nie den Scheduler betreiben.</translation>
    </message>
    <message>
        <location line="+374"/>
        <source>Check a lab file without starting anything: exit 0 when it is good, 2 with every problem listed (each named by its JSON path).</source>
        <translation>Eine Labordatei prüfen, ohne etwas zu starten: Exit-Code 0, wenn sie gut ist, 2 mit jedem Problem (jeweils mit seinem JSON-Pfad).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Write the lab the database holds (devices with their driver settings, positions) to FILE as a lab file, then exit.</source>
        <translation>Das Labor, wie die Datenbank es kennt (Geräte mit ihren Treibereinstellungen, Positionen), als Labordatei nach FILE schreiben und beenden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Print the JSON Schema of lab files and exit.</source>
        <translation>Das JSON-Schema der Labordateien ausgeben und beenden.</translation>
    </message>
    <message>
        <location line="-317"/>
        <source>At the first start of a new database, give the administrator &quot;admin&quot; the password in FILE (its first line) instead of a generated one.</source>
        <translation>Beim ersten Start einer neuen Datenbank dem Administrator &quot;admin&quot; das Passwort aus DATEI (ihre erste Zeile) geben statt eines erzeugten.</translation>
    </message>
    <message>
        <location line="-361"/>
        <source>%1 is not a whole number from 1 to %2</source>
        <translation>%1 ist keine ganze Zahl von 1 bis %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>not a postgresql:// URL or libpq keyword=value settings that libpq can read, of at most %1 characters (the text is not shown: it may hold a password)</source>
        <translation>keine postgresql://-URL und keine libpq-Einstellungen (Schlüssel=Wert), die libpq lesen kann, mit höchstens %1 Zeichen (der Text wird nicht gezeigt: er kann ein Passwort enthalten)</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>a path of at most %1 characters</source>
        <translation>ein Pfad mit höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Run a simulated lab of this profile.</source>
        <translation>Ein simuliertes Labor dieses Profils betreiben.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown profile %1 (known: %2)</source>
        <translation>unbekanntes Profil %1 (bekannt: %2)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Number of simulated devices; needs --simulate.</source>
        <translation>Anzahl simulierter Geräte; braucht --simulate.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 is not a positive number of seconds</source>
        <translation>%1 ist keine positive Zahl von Sekunden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>a readable INI file</source>
        <translation>eine lesbare INI-Datei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read settings from FILE; a missing file given this way is an error.</source>
        <translation>Einstellungen aus DATEI lesen; fehlt die so angegebene Datei, ist das ein Fehler.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a folder</source>
        <translation>ein Verzeichnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where alabos keeps its embedded database.</source>
        <translation>Wo alabos seine eingebettete Datenbank ablegt.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a lab file (docs/lab.md)</source>
        <translation>eine Labordatei (docs/lab.md)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run the lab declared in FILE (devices, their drivers and settings, positions). See docs/lab.md.</source>
        <translation>Das in DATEI beschriebene Labor betreiben (Geräte, ihre Treiber und Einstellungen, Positionen). Siehe docs/lab.md.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>postgresql:// URL or libpq key=value, at most %1 characters</source>
        <translation>postgresql://-URL oder libpq Schlüssel=Wert, höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use this PostgreSQL server instead of the embedded one. Put the password in a passfile (passfile=... or PGPASSFILE) or PGPASSWORD, not on the command line: every local user can read a command line.</source>
        <translation>Diesen PostgreSQL-Server statt des eingebetteten verwenden. Das Passwort in eine Passwortdatei (passfile=... oder PGPASSFILE) oder PGPASSWORD legen, nicht auf die Kommandozeile: jeder lokale Benutzer kann eine Kommandozeile lesen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+12"/>
        <location line="+11"/>
        <source>as database_url</source>
        <translation>wie database_url</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>With --database-url: connect as the role that owns the schema for migrations and retention, and use --database-url for everything else.</source>
        <translation>Mit --database-url: für Migrationen und Aufbewahrung als die Rolle verbinden, der das Schema gehört, und --database-url für alles andere verwenden.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>A direct PostgreSQL connection for the scheduler lock when --database-url goes through PgBouncer in transaction mode.</source>
        <translation>Eine direkte PostgreSQL-Verbindung für die Scheduler-Sperre, wenn --database-url über PgBouncer im Transaktionsmodus geht.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Send the console&apos;s history, chart and search queries to a replica, e.g. host=a,b,c target_session_attrs=prefer-standby; when it does not answer they go to --database-url.</source>
        <translation>Verlaufs-, Diagramm- und Suchabfragen der Konsole an ein Replikat senden, z. B. host=a,b,c target_session_attrs=prefer-standby; antwortet es nicht, gehen sie an --database-url.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Be a driver host: run only the drivers of the devices the lab file assigns to --host NAME, commanded by the scheduler through Kafka (docs/driver-hosts.md). Headless; needs --lab, --host and --database-url.</source>
        <translation>Als Treiber-Host laufen: nur die Treiber der Geräte ausführen, die die Labordatei --host NAME zuordnet, gesteuert vom Scheduler über Kafka (docs/driver-hosts.md). Ohne Fenster; braucht --lab, --host und --database-url.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>a lab file&apos;s driver_host: 1 to 64 letters, digits, &apos;.&apos; or &apos;-&apos;</source>
        <translation>ein driver_host der Labordatei: 1 bis 64 Buchstaben, Ziffern, &apos;.&apos; oder &apos;-&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With --drivers-only: the driver host this process is; it runs the devices whose &quot;driver_host&quot; is NAME.</source>
        <translation>Mit --drivers-only: der Treiber-Host, der dieser Prozess ist; er betreibt die Geräte, deren &quot;driver_host&quot; NAME ist.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be a host name: 1 to 64 letters, digits, &apos;.&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>muss ein Hostname sein: 1 bis 64 Buchstaben, Ziffern, &apos;.&apos; oder &apos;-&apos;, beginnend mit einem Buchstaben oder einer Ziffer</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>a file; its first line is the password</source>
        <translation>eine Datei; ihre erste Zeile ist das Passwort</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>HOST:PORT list, ports 1 to 65535</source>
        <translation>Liste HOST:PORT, Ports 1 bis 65535</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use this Kafka cluster instead of the embedded broker.</source>
        <translation>Diesen Kafka-Cluster statt des eingebetteten Brokers verwenden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not a list of HOST:PORT</source>
        <translation>%1 ist keine Liste HOST:PORT</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>librdkafka client properties</source>
        <translation>Client-Eigenschaften für librdkafka</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 is not KEY=VALUE</source>
        <translation>%1 ist nicht SCHLÜSSEL=WERT</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Create TOPIC with N partitions, e.g. telemetry=64; repeatable. Topics that exist already keep theirs.</source>
        <translation>TOPIC mit N Partitionen anlegen, z. B. telemetry=64; wiederholbar. Vorhandene Topics behalten ihre.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is not TOPIC=N</source>
        <translation>%1 ist nicht TOPIC=N</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>unknown topic %1 (known: %2)</source>
        <translation>unbekanntes Topic %1 (bekannt: %2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>partitions of %1: %2</source>
        <translation>Partitionen von %1: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Replication factor of the topics alabos creates on a Kafka cluster.</source>
        <translation>Replikationsfaktor der Topics, die alabos auf einem Kafka-Cluster anlegt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Serve the REST API, metrics and health (docs/api.md).</source>
        <translation>Die REST-API, Metriken und den Zustand ausliefern (docs/api.md).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is neither on nor off</source>
        <translation>%1 ist weder on noch off</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>IPv4, [IPv6] or host name; port 0 to 65535 (0: any free port)</source>
        <translation>IPv4, [IPv6] oder Hostname; Port 0 bis 65535 (0: ein freier Port)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The address the API listens on.</source>
        <translation>Die Adresse, an der die API lauscht.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is not HOST:PORT (an IPv4 address, a [IPv6] address or a host name; a port from 0 to 65535)</source>
        <translation>%1 ist nicht HOST:PORT (eine IPv4-Adresse, eine [IPv6]-Adresse oder ein Hostname; ein Port von 0 bis 65535)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>a readable PEM file; with tls_key</source>
        <translation>eine lesbare PEM-Datei; mit tls_key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serve the API over HTTPS only, with this certificate chain.</source>
        <translation>Die API nur über HTTPS ausliefern, mit dieser Zertifikatskette.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a readable PEM file, private to its owner; with tls_certificate</source>
        <translation>eine lesbare PEM-Datei, nur für ihren Besitzer lesbar; mit tls_certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The private key of the API&apos;s certificate.</source>
        <translation>Der private Schlüssel des API-Zertifikats.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Requests per second each API token may make, sustained.</source>
        <translation>Anfragen je Sekunde, die jedes API-Token dauerhaft stellen darf.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not a number from %2 to %3</source>
        <translation>%1 ist keine Zahl von %2 bis %3</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Requests each API token may make at once above the rate.</source>
        <translation>Anfragen, die jedes API-Token über die Rate hinaus auf einmal stellen darf.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Threads serving the API.</source>
        <translation>Threads, die die API ausliefern.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>alabos: the laboratory automation console. Runs the lab scheduler and the device drivers, stores the lab in PostgreSQL and streams it through Kafka. With nothing configured it starts its own PostgreSQL server and Kafka broker. Flags beat environment variables beat the config file (docs/configuration.md).</source>
        <translation>alabos: die Konsole für Laborautomatisierung. Betreibt die Ablaufplanung des Labors und die Gerätetreiber, speichert das Labor in PostgreSQL und streamt es über Kafka. Ohne Konfiguration startet es einen eigenen PostgreSQL-Server und Kafka-Broker. Optionen gehen vor Umgebungsvariablen, diese vor der Konfigurationsdatei (docs/configuration.md).</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Check that no row of the audit trail was changed or removed (its hash chain), name the first broken row, and exit.</source>
        <translation>Prüfen, dass keine Zeile des Prüfprotokolls geändert oder entfernt wurde (seine Hash-Kette), die erste gebrochene Zeile nennen und beenden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Print every setting&apos;s effective value and where it came from (flag, environment, file or default), secrets as ****, and exit without starting anything.</source>
        <translation>Den wirksamen Wert jeder Einstellung und ihre Herkunft (Option, Umgebung, Datei oder Vorgabe) ausgeben, Geheimnisse als ****, und beenden, ohne etwas zu starten.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Range: %1.</source>
        <translation>Bereich: %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default: %1.</source>
        <translation>Vorgabe: %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Also %1.</source>
        <translation>Auch %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Config file: %1.</source>
        <translation>Konfigurationsdatei: %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The opposite of --%1.</source>
        <translation>Das Gegenteil von --%1.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run &apos;alabos --help&apos; for the options.</source>
        <translation>&apos;alabos --help&apos; zeigt die Optionen an.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unexpected argument &quot;%1&quot;; run &apos;alabos --help&apos; for the options.</source>
        <translation>unerwartetes Argument „%1“; &apos;alabos --help&apos; zeigt die Optionen an.</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>config file %1: unknown setting &quot;%2&quot; (known: %3, a [kafka] section of client properties, a [topics] section and an [api] section)</source>
        <translation>Konfigurationsdatei %1: unbekannte Einstellung &quot;%2&quot; (bekannt: %3, ein Abschnitt [kafka] mit Client-Eigenschaften, ein Abschnitt [topics] und ein Abschnitt [api])</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 and --%2 contradict each other: give one</source>
        <translation>%1 und --%2 widersprechen sich: eines angeben</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>%1 %2 in partitions of %3 would keep %4 partitions of a table, more than %5: give a longer partition_span or a shorter window</source>
        <translation>%1 %2 in Partitionen von %3 würde %4 Partitionen einer Tabelle behalten, mehr als %5: eine längere partition_span oder ein kürzeres Fenster angeben</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>--read-database-url needs --database-url: the embedded database has no replica</source>
        <translation>--read-database-url braucht --database-url: die eingebettete Datenbank hat kein Replikat</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>--drivers-only needs --lab FILE, --host NAME and --database-url (the lab&apos;s database: its schedulers&apos; keys and broker are read there)</source>
        <translation>--drivers-only braucht --lab DATEI, --host NAME und --database-url (die Datenbank des Labors: dort stehen die Schlüssel der Scheduler und der Broker)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--drivers-only runs drivers only: leave out --simulate and --console-only</source>
        <translation>--drivers-only betreibt nur Treiber: --simulate und --console-only weglassen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--host NAME is for a driver host: give --drivers-only too</source>
        <translation>--host NAME ist für einen Treiber-Host: auch --drivers-only angeben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>API TLS: give both --api-tls-cert and --api-tls-key ([api] tls_certificate and tls_key), or neither</source>
        <translation>API-TLS: sowohl --api-tls-cert als auch --api-tls-key ([api] tls_certificate und tls_key) angeben, oder keines</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>API TLS %1 %2: no such readable file</source>
        <translation>API-TLS %1 %2: keine lesbare Datei</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>API TLS key %1 can be read by other users: chmod 600 %1</source>
        <translation>Der API-TLS-Schlüssel %1 ist für andere Benutzer lesbar: chmod 600 %1</translation>
    </message>
    <message>
        <location line="-161"/>
        <source>config file %1 cannot be read: it is not a valid INI file</source>
        <translation>Konfigurationsdatei %1 kann nicht gelesen werden: keine gültige INI-Datei</translation>
    </message>
    <message>
        <location line="-644"/>
        <source>%1 is not a duration from 10min to %2d (a number with d, h or min; a bare number is days)</source>
        <translation>%1 ist keine Dauer von 10min bis %2d (eine Zahl mit d, h oder min; eine Zahl allein bedeutet Tage)</translation>
    </message>
    <message>
        <location line="+269"/>
        <source>Keep raw telemetry this long. A partition is dropped whole once all of it is older.</source>
        <translation>Rohe Telemetrie so lange behalten. Eine Partition wird als Ganzes gelöscht, sobald alles in ihr älter ist.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Keep events this long. Events the relay has not published yet are always kept.</source>
        <translation>Ereignisse so lange behalten. Ereignisse, die das Relay noch nicht veröffentlicht hat, bleiben immer erhalten.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>10min to %1d; d, h or min, a bare number is days</source>
        <translation>10min bis %1d; d, h oder min, eine Zahl allein bedeutet Tage</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>10min to 1d, dividing a day</source>
        <translation>10min bis 1d, teilt einen Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time each partition of events and telemetry covers. Retention drops whole partitions, so a window of hours needs a span shorter than it.</source>
        <translation>Die Zeit, die jede Partition der Ereignisse und der Telemetrie abdeckt. Die Aufbewahrung löscht ganze Partitionen, daher braucht ein Fenster von Stunden eine kürzere Spanne.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>not a duration</source>
        <translation>keine Dauer</translation>
    </message>
    <message>
        <location line="+369"/>
        <source>config file %1: %2</source>
        <translation>Konfigurationsdatei %1: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>config file %1 holds a secret (%2) and other users can read it: chmod 600 %1</source>
        <translation>die Konfigurationsdatei %1 enthält ein Geheimnis (%2) und andere Benutzer können sie lesen: chmod 600 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>config file %1 does not exist</source>
        <translation>Konfigurationsdatei %1 existiert nicht</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>--devices needs --simulate PROFILE</source>
        <translation>--devices erfordert --simulate PROFILE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--database-owner-url needs --database-url: the embedded database manages its own roles</source>
        <translation>--database-owner-url braucht --database-url: die eingebettete Datenbank verwaltet ihre Rollen selbst</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>--console-only needs --database-url: the database of the running scheduler (it prints it at start)</source>
        <translation>--console-only braucht --database-url: die Datenbank des laufenden Schedulers (er gibt sie beim Start aus)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--console-only runs no lab: leave out --simulate</source>
        <translation>--console-only betreibt kein Labor: lassen Sie --simulate weg</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>--lab and --simulate both declare the lab&apos;s devices: give one of them (a lab file can declare simulated devices with &quot;driver&quot;: &quot;simulated&quot;)</source>
        <translation>--lab und --simulate deklarieren beide die Geräte des Labors: geben Sie eines davon an (eine Labordatei kann simulierte Geräte mit &quot;driver&quot;: &quot;simulated&quot; deklarieren)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>--console-only runs no lab: leave out --lab (the scheduler has it)</source>
        <translation>--console-only betreibt kein Labor: --lab weglassen (der Scheduler hat es)</translation>
    </message>
</context>
<context>
    <name>alabos::AccountService</name>
    <message>
        <location filename="../core/storage/accountservice.cpp" line="+83"/>
        <source>this process makes no signatures</source>
        <translation>dieser Prozess erstellt keine Unterschriften</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 cannot be signed: it changes nothing and leaves no record to sign</source>
        <translation>%1 kann nicht unterschrieben werden: es ändert nichts und hinterlässt keinen Datensatz, der die Unterschrift trägt</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 refused: the signature was not accepted: %2</source>
        <translation>%1 abgelehnt: die Unterschrift wurde nicht angenommen: %2</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>API tokens are created at the scheduler&apos;s console only: a token in the reply would cross the message broker readable</source>
        <translation>API-Tokens werden nur an der Konsole des Schedulers erstellt: ein Token in der Antwort würde lesbar über den Message-Broker gehen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>args.expiresInDays must be a whole number of days, 1 to %1</source>
        <translation>args.expiresInDays muss eine ganze Zahl von Tagen sein, 1 bis %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>API token %1 created</source>
        <translation>API-Token %1 erstellt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>API token %1 revoked</source>
        <translation>API-Token %1 widerrufen</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n API token(s)</source>
        <translation>
            <numerusform>%n API-Token</numerusform>
            <numerusform>%n API-Tokens</numerusform>
        </translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+19"/>
        <source>Sign-in is not possible now: %1</source>
        <translation>Anmelden ist jetzt nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <location line="+67"/>
        <source>%1 was not run: %2</source>
        <translation>%1 wurde nicht ausgeführt: %2</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>%1 refused: %2 (%3) lacks the permission &quot;%4&quot;</source>
        <translation>%1 abgelehnt: %2 (%3) fehlt die Berechtigung „%4“</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>this process keeps no signature policy</source>
        <translation>dieser Prozess führt keine Unterschriftsregeln</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>signature.policy refused: %1</source>
        <translation>signature.policy abgelehnt: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>signature policy saved: %n command kind(s) need a signature</source>
        <translation>
            <numerusform>Unterschriftsregeln gespeichert: %n Befehlsart erfordert eine Unterschrift</numerusform>
            <numerusform>Unterschriftsregeln gespeichert: %n Befehlsarten erfordern eine Unterschrift</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>user %1 added</source>
        <translation>Benutzer %1 angelegt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>user %1 changed; %2 session(s) ended</source>
        <translation>Benutzer %1 geändert; %2 Sitzung(en) beendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>user %1 changed</source>
        <translation>Benutzer %1 geändert</translation>
    </message>
    <message>
        <location line="-112"/>
        <location line="+64"/>
        <location line="+53"/>
        <source>unknown command &quot;%1&quot;</source>
        <translation>unbekannter Befehl &quot;%1&quot;</translation>
    </message>
</context>
<context>
    <name>alabos::AlarmService</name>
    <message>
        <location filename="../core/engine/alarmservice.cpp" line="+38"/>
        <source>cannot read alarm rules %1</source>
        <translation>Alarmregeln %1 können nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>alarm rules %1: not a JSON array (%2)</source>
        <translation>Alarmregeln %1: kein JSON-Array (%2)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>alarm rules %1: %2</source>
        <translation>Alarmregeln %1: %2</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>%1 %2 is %3 (limit %4)</source>
        <translation>%1 %2 ist %3 (Grenzwert %4)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 reports an error</source>
        <translation>%1 meldet einen Fehler</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Task %1 (%2) failed on %3: %4</source>
        <translation>Aufgabe %1 (%2) auf %3 fehlgeschlagen: %4</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Kafka unreachable: %1</source>
        <translation>Kafka nicht erreichbar: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: its devices are offline until it answers</source>
        <translation>%1: seine Geräte sind offline, bis er antwortet</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>unknown alarm command &quot;%1&quot;</source>
        <translation>unbekannter Alarmbefehl „%1“</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2) may not %3: it needs the %4 permission</source>
        <translation>%1 (%2) darf %3 nicht ausführen: dafür ist die Berechtigung %4 nötig</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>no open alarm with id &quot;%1&quot;</source>
        <translation>kein offener Alarm mit der ID „%1“</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>already acknowledged</source>
        <translation>bereits quittiert</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+3"/>
        <source>alarm acknowledged by %1</source>
        <translation>Alarm quittiert von %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>shelving needs a duration of 1h, 8h or 7d, not &quot;%1&quot;</source>
        <translation>Zurückstellen erfordert eine Dauer von 1h, 8h oder 7d, nicht „%1“</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+3"/>
        <source>alarm shelved for %1</source>
        <translation>Alarm für %1 zurückgestellt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>alarm command &quot;%1&quot; is not supported</source>
        <translation>Alarmbefehl „%1“ wird nicht unterstützt</translation>
    </message>
</context>
<context>
    <name>alabos::AlarmTableModel</name>
    <message>
        <location filename="../ui/alarmtablemodel.cpp" line="+48"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Raised</source>
        <translation>Ausgelöst</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged by</source>
        <translation>Quittiert von</translation>
    </message>
</context>
<context>
    <name>alabos::AlarmsPanel</name>
    <message>
        <location filename="../ui/alarmspanel.cpp" line="+23"/>
        <source>Acknowledge</source>
        <translation>Quittieren</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open alarms</source>
        <translation>Offene Alarme</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cleared alarms</source>
        <translation>Aufgehobene Alarme</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shelve</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For 1 hour</source>
        <translation>Für 1 Stunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For 8 hours</source>
        <translation>Für 8 Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For 7 days</source>
        <translation>Für 7 Tage</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Acknowledge the selected alarms</source>
        <translation>Ausgewählte Alarme quittieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your role may not acknowledge alarms (alarm_ack)</source>
        <translation>Ihre Rolle darf keine Alarme quittieren (alarm_ack)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide the selected alarms for a while</source>
        <translation>Ausgewählte Alarme vorübergehend ausblenden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your role may not shelve alarms (alarm_shelve)</source>
        <translation>Ihre Rolle darf keine Alarme zurückstellen (alarm_shelve)</translation>
    </message>
</context>
<context>
    <name>alabos::ApiService</name>
    <message>
        <location filename="../app/apiservice.cpp" line="+80"/>
        <source>%1 must be a positive whole number</source>
        <translation>%1 muss eine positive ganze Zahl sein</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>the API cannot listen on %1: %2</source>
        <translation>die API kann nicht an %1 lauschen: %2</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>the API&apos;s database queue is full</source>
        <translation>die Datenbank-Warteschlange der API ist voll</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>1 while this process runs the scheduler and reaches its database</source>
        <translation>1, solange dieser Prozess den Scheduler betreibt und seine Datenbank erreicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 while the database answers</source>
        <translation>1, solange die Datenbank antwortet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 while Kafka answers</source>
        <translation>1, solange Kafka antwortet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unfinished tasks, as the engine counts them: running, and unfinished (all not yet finished, waiting for their dependencies included)</source>
        <translation>Unerledigte Aufgaben, wie die Engine sie zählt: laufende und unerledigte (alle noch nicht beendeten, auch die, die auf ihre Abhängigkeiten warten)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tasks finished since this process started, by outcome</source>
        <translation>Seit dem Start dieses Prozesses beendete Aufgaben, nach Ergebnis</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tasks run again after a failure</source>
        <translation>Nach einem Fehler erneut ausgeführte Aufgaben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tasks ready to run and waiting for a device</source>
        <translation>Aufgaben, die bereit sind und auf ein Gerät warten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Age of the oldest task waiting for a device (0: none waits)</source>
        <translation>Alter der ältesten Aufgabe, die auf ein Gerät wartet (0: keine wartet)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Workflows since this process started: submitted, completed, failed</source>
        <translation>Arbeitsabläufe seit dem Start dieses Prozesses: eingereicht, erledigt, fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Operator prompts waiting for an answer</source>
        <translation>Bedieneraufforderungen, die auf eine Antwort warten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>From the event that freed what a task needed to its grant, in the engine</source>
        <translation>Vom Ereignis, das freigab, was eine Aufgabe brauchte, bis zu ihrer Zuteilung, in der Engine</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Devices by status</source>
        <translation>Geräte nach Status</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Busy devices over all devices, by device type</source>
        <translation>Belegte Geräte im Verhältnis zu allen Geräten, nach Gerätetyp</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Events the relay published and the broker acknowledged, by topic</source>
        <translation>Ereignisse, die die Ereignisweiterleitung veröffentlicht und der Broker bestätigt hat, nach Topic</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Messages a consumer group has yet to handle: the console feed, and the readings the telemetry persister has not yet written</source>
        <translation>Nachrichten, die eine Consumer-Gruppe noch zu verarbeiten hat: die Konsolen-Einspeisung und die Messwerte, die der Telemetriespeicher noch nicht geschrieben hat</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Telemetry readings since this process started: produced by drivers, persisted, lost</source>
        <translation>Telemetrie-Messwerte seit dem Start dieses Prozesses: von Treibern erzeugt, gespeichert, verloren</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Rows the telemetry persister committed (rate() gives rows a second)</source>
        <translation>Zeilen, die der Telemetriespeicher geschrieben hat (rate() ergibt Zeilen je Sekunde)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change sets committed together in one transaction</source>
        <translation>In einer Transaktion gemeinsam geschriebene Änderungssätze</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time of one group commit</source>
        <translation>Dauer eines gemeinsamen Commits</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connections to the lab&apos;s database, of every client (pg_stat_activity)</source>
        <translation>Verbindungen zur Datenbank des Labors, aller Clients (pg_stat_activity)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>API requests by route (the OpenAPI operation id) and status (0: another)</source>
        <translation>API-Anfragen nach Route (die OpenAPI-Operations-ID) und Status (0: ein anderer)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From a request&apos;s arrival to its answer</source>
        <translation>Vom Eintreffen einer Anfrage bis zu ihrer Antwort</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open HTTP connections</source>
        <translation>Offene HTTP-Verbindungen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Requests the HTTP server refused before routing, by reason</source>
        <translation>Anfragen, die der HTTP-Server vor der Zuordnung abgelehnt hat, nach Grund</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>CPU time of this process</source>
        <translation>CPU-Zeit dieses Prozesses</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resident memory of this process</source>
        <translation>Resident genutzter Speicher dieses Prozesses</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>alabos is stopping</source>
        <translation>alabos wird beendet</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>this alabos does not run the scheduler; send changes to the API of the one that does</source>
        <translation>dieses alabos betreibt den Scheduler nicht; Änderungen an die API dessen senden, das ihn betreibt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&quot;signature&quot; must be an object with &quot;password&quot;, &quot;reason&quot; and optionally &quot;comment&quot;</source>
        <translation>„signature“ muss ein Objekt mit „password“, „reason“ und optional „comment“ sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>this alabos does not run the scheduler</source>
        <translation>dieses alabos betreibt den Scheduler nicht</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>the scheduler did not answer within %1 s; the change may still be made: look before sending it again</source>
        <translation>der Scheduler hat nicht innerhalb von %1 s geantwortet; die Änderung kann noch ausgeführt werden: vor einem erneuten Senden nachsehen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>barcode %1 appears twice in this request</source>
        <translation>Barcode %1 kommt in dieser Anfrage zweimal vor</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n row(s) are not valid; nothing was registered (send &quot;valid_only&quot;: true to register the valid rows alone)</source>
        <translation>
            <numerusform>%n Zeile ist ungültig; nichts wurde registriert (&quot;valid_only&quot;: true senden, um nur die gültigen Zeilen zu registrieren)</numerusform>
            <numerusform>%n Zeilen sind ungültig; nichts wurde registriert (&quot;valid_only&quot;: true senden, um nur die gültigen Zeilen zu registrieren)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no row is valid; nothing was registered</source>
        <translation>keine Zeile ist gültig; nichts wurde registriert</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>barcode %1 is already registered</source>
        <translation>Barcode %1 ist bereits registriert</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+492"/>
        <source>no workflow %1</source>
        <translation>kein Arbeitsablauf %1</translation>
    </message>
    <message>
        <location line="-482"/>
        <source>workflow %1 has no unfinished task</source>
        <translation>Arbeitsablauf %1 hat keine unerledigte Aufgabe</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>the database did not answer: %1</source>
        <translation>die Datenbank hat nicht geantwortet: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>too many queries are waiting; retry in a moment</source>
        <translation>zu viele Abfragen warten; gleich erneut versuchen</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The process is alive.</source>
        <translation>Der Prozess lebt.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ready to serve: database and broker reachable, schema current, the lab&apos;s state loaded (503 otherwise, naming what is not).</source>
        <translation>Bereit: Datenbank und Broker erreichbar, Schema aktuell, der Zustand des Labors geladen (sonst 503 mit dem, was fehlt).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Prometheus metrics (text format 0.0.4).</source>
        <translation>Prometheus-Metriken (Textformat 0.0.4).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>This API&apos;s OpenAPI 3.1 document.</source>
        <translation>Das OpenAPI-3.1-Dokument dieser API.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Who the token belongs to, and the role&apos;s permissions.</source>
        <translation>Wem das Token gehört, und die Berechtigungen seiner Rolle.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The device fleet, by name.</source>
        <translation>Die Geräteflotte, nach Name.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>One device&apos;s current state.</source>
        <translation>Der aktuelle Zustand eines Geräts.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no device %1</source>
        <translation>kein Gerät %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A device&apos;s newest events, newest first (from PostgreSQL).</source>
        <translation>Die neuesten Ereignisse eines Geräts, neueste zuerst (aus PostgreSQL).</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Puts the device into %1 (the operator command device.%1).</source>
        <translation>Versetzt das Gerät in %1 (der Bedienerbefehl device.%1).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tasks, newest first: every unfinished one and the newest 20,000 finished.</source>
        <translation>Aufgaben, neueste zuerst: jede unerledigte und die neuesten 20.000 beendeten.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>One task.</source>
        <translation>Eine Aufgabe.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>no task %1</source>
        <translation>keine Aufgabe %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancels a task (task.cancel).</source>
        <translation>Bricht eine Aufgabe ab (task.cancel).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The tasks waiting for a device, in queue order.</source>
        <translation>Die Aufgaben, die auf ein Gerät warten, in der Reihenfolge der Warteschlange.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sample positions, by name, with the sample each holds.</source>
        <translation>Probenpositionen, nach Name, mit der Probe, die jede hält.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Registers up to 1,000 samples: all or nothing, or the valid rows only (&quot;valid_only&quot;: true); each bad row named.</source>
        <translation>Registriert bis zu 1.000 Proben: alle oder keine, oder nur die gültigen Zeilen (&quot;valid_only&quot;: true); jede fehlerhafte Zeile benannt.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Deletes up to 1,000 samples with a reason (sample.delete): all or none; refused while one is in a running workflow. Their record stays.</source>
        <translation>Löscht bis zu 1.000 Proben mit Grund (sample.delete): alle oder keine; abgelehnt, solange eine in einem laufenden Arbeitsablauf ist. Ihr Datensatz bleibt erhalten.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Samples whose barcode, name or metadata contains the text, newest first.</source>
        <translation>Proben, deren Barcode, Name oder Metadaten den Text enthalten, neueste zuerst.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>One sample, by id or by barcode.</source>
        <translation>Eine Probe, nach ID oder Barcode.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>no sample %1</source>
        <translation>keine Probe %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The workflow templates this lab offers, with each task&apos;s parameter schema.</source>
        <translation>Die Arbeitsablaufvorlagen dieses Labors, mit dem Parameterschema jeder Aufgabe.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Submits a workflow for registered samples (workflow.submit); the answer carries its id.</source>
        <translation>Reicht einen Arbeitsablauf für registrierte Proben ein (workflow.submit); die Antwort enthält seine ID.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no workflow template %1</source>
        <translation>keine Arbeitsablaufvorlage %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>sample %1 was deleted</source>
        <translation>Probe %1 wurde gelöscht</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sample %1 is in running workflow %2</source>
        <translation>Probe %1 ist im laufenden Arbeitsablauf %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Workflows, newest first: every running one and the newest 5,000 finished.</source>
        <translation>Arbeitsabläufe, neueste zuerst: jeder laufende und die neuesten 5.000 beendeten.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>One workflow with its tasks: its progress.</source>
        <translation>Ein Arbeitsablauf mit seinen Aufgaben: sein Fortschritt.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancels every unfinished task of a workflow (task.cancel each).</source>
        <translation>Bricht jede unerledigte Aufgabe eines Arbeitsablaufs ab (je ein task.cancel).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alarms, newest first.</source>
        <translation>Alarme, neueste zuerst.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Acknowledges an alarm (alarm.ack).</source>
        <translation>Quittiert einen Alarm (alarm.ack).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Operator prompts, newest first.</source>
        <translation>Bedieneraufforderungen, neueste zuerst.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Answers an open prompt with one of its options (prompt.answer).</source>
        <translation>Beantwortet eine offene Aufforderung mit einer ihrer Optionen (prompt.answer).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The lab&apos;s events as server-sent events (id, event kind, data: the event JSON). Resume after a dropped connection with Last-Event-ID (or ?after=).</source>
        <translation>Die Ereignisse des Labors als Server-Sent Events (ID, Ereignisart, Daten: das Ereignis als JSON). Nach einer abgebrochenen Verbindung mit Last-Event-ID (oder ?after=) fortsetzen.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Last-Event-ID must be an event id</source>
        <translation>Last-Event-ID muss eine Ereignis-ID sein</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>too many event streams are open (at most %1)</source>
        <translation>zu viele Ereignisströme sind offen (höchstens %1)</translation>
    </message>
</context>
<context>
    <name>alabos::ApiSettingsDialog</name>
    <message>
        <location filename="../ui/apisettingsdialog.cpp" line="+53"/>
        <source>&amp;Serve the REST API while this console runs the lab</source>
        <translation>REST-API &amp;bereitstellen, solange diese Konsole das Labor betreibt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>REST API</source>
        <translation>REST-API</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Listen address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>This console does not serve the API now.</source>
        <translation>Diese Konsole stellt die API derzeit nicht bereit.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This console serves the API at %1 now (metrics at %1/metrics).</source>
        <translation>Diese Konsole stellt die API derzeit unter %1 bereit (Metriken unter %1/metrics).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Takes effect the next time alabos starts. A headless lab server serves the API unless told not to; --api, --no-api, ALABOS_API and the configuration file decide over this setting. Tokens: File → API tokens…</source>
        <translation>Wirkt beim nächsten Start von alabos. Ein Laborserver ohne Fenster stellt die API bereit, wenn nichts anderes verlangt ist; --api, --no-api, ALABOS_API und die Konfigurationsdatei haben Vorrang vor dieser Einstellung. Tokens: Datei → API-Tokens…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Listen on:</source>
        <translation>&amp;Lauschen auf:</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Changing the API needs the permission &quot;%1&quot;; sign in as an admin</source>
        <translation>Die API zu ändern erfordert die Berechtigung „%1“; melden Sie sich als Administrator an</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not HOST:PORT (an IPv4 address, a [IPv6] address or a host name; a port from 0 to 65535)</source>
        <translation>%1 ist nicht HOST:PORT (eine IPv4-Adresse, eine [IPv6]-Adresse oder ein Hostname; ein Port von 0 bis 65535)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved. Other machines will reach the API: configure TLS (docs/api.md).</source>
        <translation>Gespeichert. Andere Rechner werden die API erreichen: richten Sie TLS ein (docs/api.md).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved; alabos uses it the next time it starts.</source>
        <translation>Gespeichert; alabos verwendet es beim nächsten Start.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Needs the permission &quot;%1&quot;</source>
        <translation>Erfordert die Berechtigung „%1“</translation>
    </message>
</context>
<context>
    <name>alabos::ApiTokensDialog</name>
    <message>
        <location filename="../ui/apitokensdialog.cpp" line="+33"/>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Revoke…</source>
        <translation>&amp;Widerrufen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API tokens</source>
        <translation>API-Tokens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last used</source>
        <translation>Zuletzt benutzt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A program calling the REST API with a token acts as its user, with the user&apos;s current role. Tokens of a disabled user stop working.</source>
        <translation>Ein Programm, das die REST-API mit einem Token aufruft, handelt als dessen Benutzer, mit dessen aktueller Rolle. Tokens eines deaktivierten Benutzers funktionieren nicht mehr.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;New token…</source>
        <translation>&amp;Neues Token…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Tokens</numerusform>
        </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Revoke API token</source>
        <translation>API-Token widerrufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revoke the token &quot;%1&quot; (%2)? Programs using it are refused from then on; this cannot be undone.</source>
        <translation>Das Token „%1“ (%2) widerrufen? Programme, die es benutzen, werden ab dann abgewiesen; das lässt sich nicht rückgängig machen.</translation>
    </message>
</context>
<context>
    <name>alabos::AssignedConsumer</name>
    <message>
        <location filename="../core/bus/assignedconsumer.cpp" line="+62"/>
        <source>Kafka consumer: %1</source>
        <translation>Kafka-Consumer: %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Kafka topic %1 is not available (%2); is the broker at %3 running?</source>
        <translation>Kafka-Topic %1 ist nicht verfügbar (%2); läuft der Broker unter %3?</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Kafka offsets of %1/%2: %3</source>
        <translation>Kafka-Offsets von %1/%2: %3</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Kafka assign: %1</source>
        <translation>Kafka-Zuweisung (assign): %1</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>cannot create a pipe for the Kafka consumer</source>
        <translation>für den Kafka-Consumer kann keine Pipe angelegt werden</translation>
    </message>
</context>
<context>
    <name>alabos::AuditPanel</name>
    <message>
        <location filename="../ui/auditpanel.cpp" line="+44"/>
        <source>%1 (%2), %3: %4</source>
        <translation>%1 (%2), %3: %4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <location line="+15"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="-10"/>
        <location line="+1"/>
        <source>Text in entity or detail</source>
        <translation>Text in Objekt oder Detail</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How far back</source>
        <translation>Wie weit zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Host</source>
        <translation>Rechner</translation>
    </message>
    <message>
        <location line="-14"/>
        <location line="+14"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Days back</source>
        <translation>Tage zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audit trail</source>
        <translation>Prüfprotokoll</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Entity type</source>
        <translation>Objekttyp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Entity</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Signature</source>
        <translation>Unterschrift</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Export the audit trail</source>
        <translation>Prüfprotokoll exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 rows written to %2</source>
        <translation>%1 Zeilen nach %2 geschrieben</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No database: the audit trail cannot be shown here.</source>
        <translation>Keine Datenbank: das Prüfprotokoll kann hier nicht gezeigt werden.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reading the audit trail…</source>
        <translation>Das Prüfprotokoll wird gelesen…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The audit trail cannot be read: %1</source>
        <translation>Das Prüfprotokoll kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The newest %1 entries; narrow the filters to see older ones.</source>
        <translation>Die neuesten %1 Einträge; engen Sie die Filter ein, um ältere zu sehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 entries</source>
        <translation>%1 Einträge</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+11"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>alabos::ChartCard</name>
    <message>
        <location filename="../ui/chartspanel.cpp" line="+95"/>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this chart as an image</source>
        <translation>Dieses Diagramm als Bild speichern</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save this chart&apos;s points as CSV</source>
        <translation>Die Punkte dieses Diagramms als CSV speichern</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Save as PNG…</source>
        <translation>Als PNG speichern…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as CSV…</source>
        <translation>Als CSV speichern…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>series,time,value</source>
        <translation>Reihe,Zeit,Wert</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save chart as PNG</source>
        <translation>Diagramm als PNG speichern</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save chart points as CSV</source>
        <translation>Diagrammpunkte als CSV speichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
</context>
<context>
    <name>alabos::ChartsPanel</name>
    <message>
        <location line="+8"/>
        <source>Live (last 10 minutes)</source>
        <translation>Live (letzte 10 Minuten)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last week</source>
        <translation>Letzte Woche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All tasks</source>
        <translation>Alle Aufgaben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Which tasks the durations histogram counts</source>
        <translation>Welche Aufgaben das Histogramm der Dauern zählt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Query the history again</source>
        <translation>Verlauf erneut abfragen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Durations of:</source>
        <translation>Dauern von:</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>Utilisation by device type</source>
        <translation>Auslastung nach Gerätetyp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>% busy</source>
        <translation>% belegt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Task durations</source>
        <translation>Aufgabendauern</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+11"/>
        <source>tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>seconds (start of each bin)</source>
        <translation>Sekunden (Beginn jedes Intervalls)</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+263"/>
        <source>Samples completed per hour</source>
        <translation>Erledigte Proben pro Stunde</translation>
    </message>
    <message>
        <location line="-263"/>
        <location line="+1"/>
        <source>samples / h</source>
        <translation>Proben / h</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Queue depth</source>
        <translation>Warteschlangenlänge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting for a device</source>
        <translation>warten auf ein Gerät</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>running</source>
        <translation>laufen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+255"/>
        <source>Event rate</source>
        <translation>Ereignisrate</translation>
    </message>
    <message>
        <location line="-255"/>
        <source>events / s</source>
        <translation>Ereignisse / s</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+254"/>
        <source>Consumer lag</source>
        <translation>Consumer-Lag</translation>
    </message>
    <message>
        <location line="-254"/>
        <source>messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location line="+251"/>
        <source>Samples completed per hour (last minute&apos;s rate)</source>
        <translation>Erledigte Proben pro Stunde (Rate der letzten Minute)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event rate (live only)</source>
        <translation>Ereignisrate (nur live)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Consumer lag (live only)</source>
        <translation>Consumer-Lag (nur live)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No database</source>
        <translation>Keine Datenbank</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Loading history…</source>
        <translation>Verlauf wird geladen…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>History unavailable: %1</source>
        <translation>Verlauf nicht verfügbar: %1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>History as of %1</source>
        <translation>Verlauf, Stand %1</translation>
    </message>
</context>
<context>
    <name>alabos::ConsoleSession</name>
    <message>
        <location filename="../ui/consolesession.cpp" line="+60"/>
        <source>%1 was not sent: it needs your electronic signature</source>
        <translation>%1 wurde nicht gesendet: Ihre elektronische Unterschrift ist erforderlich</translation>
    </message>
</context>
<context>
    <name>alabos::CsvCheckJob</name>
    <message>
        <location filename="../ui/csvimport.cpp" line="+69"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is larger than %2 MB; a sample list of %3 rows is far smaller</source>
        <translation>%1 ist größer als %2 MB; eine Probenliste mit %3 Zeilen ist weit kleiner</translation>
    </message>
</context>
<context>
    <name>alabos::CsvImportDialog</name>
    <message>
        <location filename="../ui/sampledialogs.cpp" line="+252"/>
        <location line="+43"/>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>Cancel check</source>
        <translation>Prüfung abbrechen</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+359"/>
        <source>Import all</source>
        <translation>Alle importieren</translation>
    </message>
    <message>
        <location line="-358"/>
        <location line="+361"/>
        <source>Import valid rows only…</source>
        <translation>Nur gültige Zeilen importieren…</translation>
    </message>
    <message>
        <location line="-360"/>
        <source>Print labels…</source>
        <translation>Etiketten drucken…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import samples from CSV</source>
        <translation>Proben aus CSV importieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose file…</source>
        <translation>Datei wählen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No file chosen. The first row names the columns (barcode, name, project, mass_mg…); comma or semicolon separated, UTF-8.</source>
        <translation>Keine Datei gewählt. Die erste Zeile benennt die Spalten (barcode, name, project, mass_mg…); durch Komma oder Semikolon getrennt, UTF-8.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Column</source>
        <translation>Spalte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Import valid rows only</source>
        <translation>Nur gültige Zeilen importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import %1 valid rows and leave out %2 rows with problems? The rows left out are not registered; fix them and import them in another file.</source>
        <translation>%1 gültige Zeilen importieren und %2 fehlerhafte Zeilen auslassen? Die ausgelassenen Zeilen werden nicht registriert; korrigieren Sie sie und importieren Sie sie mit einer weiteren Datei.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Stops checking this file; nothing is imported</source>
        <translation>Beendet die Prüfung dieser Datei; nichts wird importiert</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Import samples</source>
        <translation>Proben importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV-Dateien (*.csv *.txt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 is %2 MB; a sample list of %3 rows is far smaller</source>
        <translation>%1 ist %2 MB groß; eine Probenliste mit %3 Zeilen ist weit kleiner</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Reading and checking %1…</source>
        <translation>%1 wird gelesen und geprüft…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reading…</source>
        <translation>Lesen…</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n row(s) checked</source>
        <translation>
            <numerusform>%n Zeile geprüft</numerusform>
            <numerusform>%n Zeilen geprüft</numerusform>
        </translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Check of %1 cancelled; nothing was imported. Choose the file again to check it.</source>
        <translation>Prüfung von %1 abgebrochen; nichts wurde importiert. Wählen Sie die Datei erneut, um sie zu prüfen.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+22"/>
        <source>Checking %n barcode(s) against the registry…</source>
        <translation>
            <numerusform>%n Barcode wird mit dem Probenregister abgeglichen…</numerusform>
            <numerusform>%n Barcodes werden mit dem Probenregister abgeglichen…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Could not check the registry: %1. Choose the file again to retry.</source>
        <translation>Das Probenregister konnte nicht abgefragt werden: %1. Wählen Sie die Datei erneut, um es noch einmal zu versuchen.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>whole row</source>
        <translation>ganze Zeile</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>… and %n more problem(s), marked red in the rows above</source>
        <translation>
            <numerusform>… und %n weiteres Problem, oben rot markiert</numerusform>
            <numerusform>… und %n weitere Probleme, oben rot markiert</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This file cannot be imported: %1</source>
        <translation>Diese Datei kann nicht importiert werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 rows: %2 valid, %3 with problems (marked red; the list below says line, column and why).</source>
        <translation>%1 Zeilen: %2 gültig, %3 fehlerhaft (rot markiert; die Liste unten nennt Zeile, Spalte und Grund).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>All %1 rows are valid and none is registered yet.</source>
        <translation>Alle %1 Zeilen sind gültig, und keine ist bereits registriert.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All %1 rows are valid (not checked against the registry: no database here; the lab refuses duplicates).</source>
        <translation>Alle %1 Zeilen sind gültig (nicht mit dem Probenregister abgeglichen: keine Datenbank hier; das Labor lehnt Duplikate ab).</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Import all %1</source>
        <translation>Alle %1 importieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Import %1 valid rows only…</source>
        <translation>Nur %1 gültige Zeilen importieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Your role may not register samples (needs sample_register)</source>
        <translation>Ihre Rolle darf keine Proben registrieren (erfordert sample_register)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Some rows have problems: fix the file, or import the valid rows only</source>
        <translation>Einige Zeilen sind fehlerhaft: Korrigieren Sie die Datei oder importieren Sie nur die gültigen Zeilen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Registers only the rows without problems; the others are left out</source>
        <translation>Registriert nur die fehlerfreien Zeilen; die übrigen werden ausgelassen</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Registering %n sample(s)…</source>
        <translation>
            <numerusform>%n Probe wird registriert…</numerusform>
            <numerusform>%n Proben werden registriert…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>Labels for the %n sample(s) just registered</source>
        <translation>
            <numerusform>Etiketten für die eben registrierte Probe</numerusform>
            <numerusform>Etiketten für die %n eben registrierten Proben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alabos::DeviceDriver</name>
    <message>
        <location filename="../core/drivers/devicedriver.cpp" line="+100"/>
        <source>%1: %2 reading is not a number (%3)</source>
        <translation>%1: %2-Messwert ist keine Zahl (%3)</translation>
    </message>
    <message>
        <location line="+41"/>
        <location line="+5"/>
        <source>%1: disconnected</source>
        <translation>%1: getrennt</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>%1: not connected</source>
        <translation>%1: nicht verbunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: busy with command %2</source>
        <translation>%1: belegt durch Befehl %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2) has no command &quot;%3&quot;</source>
        <translation>%1 (%2) hat keinen Befehl „%3“</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
</context>
<context>
    <name>alabos::DevicePage</name>
    <message>
        <location filename="../ui/devicepage.cpp" line="+38"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maintenance</source>
        <translation>Wartung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove…</source>
        <translation>Entfernen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run command</source>
        <translation>Befehl ausführen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Samples on this device</source>
        <translation>Proben auf diesem Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device command</source>
        <translation>Gerätebefehl</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Metric to chart</source>
        <translation>Messgröße für das Diagramm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chart time range</source>
        <translation>Zeitraum des Diagramms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pause at once when idle, after the current task when busy</source>
        <translation>Sofort anhalten, wenn frei; nach der aktuellen Aufgabe, wenn belegt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Take the device out of service; it gets no tasks</source>
        <translation>Gerät außer Betrieb nehmen; es erhält keine Aufgaben</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Show and change the driver and its connection settings</source>
        <translation>Treiber und Verbindungseinstellungen anzeigen und ändern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take the device out of the lab; a busy device leaves after its task</source>
        <translation>Das Gerät aus dem Labor nehmen; ein belegtes Gerät geht nach seiner Aufgabe</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Last 15 minutes</source>
        <translation>Letzte 15 Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last week</source>
        <translation>Letzte Woche</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Driver commands</source>
        <translation>Treiberbefehle</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Samples in its positions</source>
        <translation>Proben in seinen Positionen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Telemetry:</source>
        <translation>Telemetrie:</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&lt;h3&gt;No device selected&lt;/h3&gt;Double-click a device in the fleet.</source>
        <translation>&lt;h3&gt;Kein Gerät ausgewählt&lt;/h3&gt;Doppelklicken Sie im Bereich „Geräte“ auf ein Gerät.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · &lt;span style=&apos;color:%2&apos;&gt;&amp;#9632; %3&lt;/span&gt; · %4 tasks done</source>
        <translation>%1 · &lt;span style=&apos;color:%2&apos;&gt;&amp;#9632; %3&lt;/span&gt; · %4 Aufgaben erledigt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No current task</source>
        <translation>Keine aktuelle Aufgabe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Current task %1: %2 (workflow %3)</source>
        <translation>Aktuelle Aufgabe %1: %2 (Arbeitsablauf %3)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Current task %1</source>
        <translation>Aktuelle Aufgabe %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(no samples)</source>
        <translation>(keine Proben)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Your role may not control devices (device_control)</source>
        <translation>Ihre Rolle darf keine Geräte steuern (device_control)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Device settings</source>
        <translation>Geräteeinstellungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has no stored driver settings</source>
        <translation>%1 hat keine gespeicherten Treibereinstellungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The settings of %1 could not be read: %2</source>
        <translation>Die Einstellungen von %1 konnten nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Remove device</source>
        <translation>Gerät entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove %1 from the lab? Its driver is stopped; a task running on it finishes first. Its history stays.</source>
        <translation>%1 aus dem Labor entfernen? Sein Treiber wird beendet; eine laufende Aufgabe wird zuerst fertig. Seine Historie bleibt.</translation>
    </message>
</context>
<context>
    <name>alabos::DeviceSetupDialog</name>
    <message>
        <location filename="../ui/devicesetupdialog.cpp" line="+42"/>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Apply</source>
        <translation>&amp;Übernehmen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Add device</source>
        <translation>Gerät &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Device settings</source>
        <translation>Geräteeinstellungen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add device</source>
        <translation>Gerät hinzufügen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>furnace-2</source>
        <translation>ofen-2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The device&apos;s name in the lab: letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</source>
        <translation>Der Name des Geräts im Labor: Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>box_furnace</source>
        <translation>box_furnace</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What workflows ask for: lower case letters, digits and &apos;_&apos;</source>
        <translation>Was Arbeitsabläufe anfordern: Kleinbuchstaben, Ziffern und &apos;_&apos;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device type</source>
        <translation>Gerätetyp</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Driver kind</source>
        <translation>Treiberart</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>More settings as JSON</source>
        <translation>Weitere Einstellungen als JSON</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{&quot;register_map&quot;: {...}}  (settings the form does not show, as one JSON object)</source>
        <translation>{&quot;register_map&quot;: {...}}  (Einstellungen, die das Formular nicht zeigt, als ein JSON-Objekt)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;ype</source>
        <translation>T&amp;yp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Driver</source>
        <translation>&amp;Treiber</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>More settings (JSON object)</source>
        <translation>Weitere Einstellungen (JSON-Objekt)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The settings form of driver kind %1 is broken: %2</source>
        <translation>Das Einstellungsformular der Treiberart %1 ist fehlerhaft: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Name: 1 to 64 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;, starting with a letter or digit</source>
        <translation>Name: 1 bis 64 Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;, beginnend mit einem Buchstaben oder einer Ziffer</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type: 1 to 64 lower case letters, digits or &apos;_&apos;, starting with a letter</source>
        <translation>Typ: 1 bis 64 Kleinbuchstaben, Ziffern oder &apos;_&apos;, beginnend mit einem Buchstaben</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>More settings: at most %1 KiB</source>
        <translation>Weitere Einstellungen: höchstens %1 KiB</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>More settings: not JSON (%1 at character %2)</source>
        <translation>Weitere Einstellungen: kein JSON (%1 bei Zeichen %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>More settings: must be one JSON object {...}</source>
        <translation>Weitere Einstellungen: muss ein JSON-Objekt {...} sein</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>More settings: &quot;%1&quot; is set above; remove it here</source>
        <translation>Weitere Einstellungen: &quot;%1&quot; ist oben gesetzt; hier entfernen</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connected: %1</source>
        <translation>Verbunden: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection failed: %1</source>
        <translation>Verbindung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No answer within %1 s</source>
        <translation>Keine Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Sending…</source>
        <translation>Sende…</translation>
    </message>
</context>
<context>
    <name>alabos::DeviceTableModel</name>
    <message>
        <location filename="../ui/devicetablemodel.cpp" line="+33"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Current task</source>
        <translation>Aktuelle Aufgabe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tasks done</source>
        <translation>Erledigte Aufgaben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
</context>
<context>
    <name>alabos::DevicesPanel</name>
    <message>
        <location filename="../ui/devicespanel.cpp" line="+107"/>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Filter devices</source>
        <translation>Geräte filtern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device type</source>
        <translation>Gerätetyp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device status</source>
        <translation>Gerätestatus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by name or type…</source>
        <translation>Nach Name oder Typ filtern…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiles</source>
        <translation>Kacheln</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Switch between the tile grid and the table</source>
        <translation>Zwischen Kachelansicht und Tabelle wechseln</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;h3&gt;This lab has no devices yet&lt;/h3&gt;&lt;p&gt;Add the lab&apos;s instruments one by one: a name, the type workflows ask for, the driver (Modbus TCP, SCPI, a driver program of your own, or a simulated device) and its connection settings. &lt;b&gt;Test connection&lt;/b&gt; in the form shows the instrument&apos;s answer before anything is saved. &lt;b&gt;Lab → Add position…&lt;/b&gt; declares the racks and trays samples sit in.&lt;/p&gt;&lt;p&gt;Then export the lab file and keep it in version control: started with &lt;tt&gt;alabos --lab FILE&lt;/tt&gt;, alabos makes the lab match the file. &lt;tt&gt;alabos --check-lab FILE&lt;/tt&gt; checks a file without starting anything.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Dieses Labor hat noch keine Geräte&lt;/h3&gt;&lt;p&gt;Fügen Sie die Instrumente des Labors einzeln hinzu: einen Namen, den Typ, den Arbeitsabläufe anfordern, den Treiber (Modbus TCP, SCPI, ein eigenes Treiberprogramm oder ein simuliertes Gerät) und seine Verbindungseinstellungen. &lt;b&gt;Verbindung testen&lt;/b&gt; im Formular zeigt die Antwort des Instruments, bevor etwas gespeichert wird. &lt;b&gt;Labor → Position hinzufügen…&lt;/b&gt; deklariert die Gestelle und Träger, in denen Proben stehen.&lt;/p&gt;&lt;p&gt;Exportieren Sie dann die Labordatei und legen Sie sie in die Versionsverwaltung: gestartet mit &lt;tt&gt;alabos --lab FILE&lt;/tt&gt; bringt alabos das Labor auf den Stand der Datei. &lt;tt&gt;alabos --check-lab FILE&lt;/tt&gt; prüft eine Datei, ohne etwas zu starten.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Add device…</source>
        <translation>Gerät &amp;hinzufügen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export lab file…</source>
        <translation>Labordatei &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>&lt;b&gt;%1 devices&lt;/b&gt; &amp;nbsp; %2</source>
        <translation>&lt;b&gt;%1 Geräte&lt;/b&gt; &amp;nbsp; %2</translation>
    </message>
</context>
<context>
    <name>alabos::DriverHostLink</name>
    <message>
        <location filename="../core/remote/driverhostlink.cpp" line="+89"/>
        <source>The scheduler cannot read its driver hosts&apos; reports: %1</source>
        <translation>Der Scheduler kann die Meldungen seiner Treiber-Hosts nicht lesen: %1</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>not signed by driver host %1</source>
        <translation>nicht von Treiber-Host %1 signiert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>an old report of %1 (a replay)</source>
        <translation>eine alte Meldung von %1 (eine Wiederholung)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 reported on device %2, which is not one of its devices</source>
        <translation>%1 meldete zu Gerät %2, das nicht zu seinen Geräten gehört</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>driver host %1 is reachable</source>
        <translation>Treiber-Host %1 ist erreichbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>driver host %1 restarted</source>
        <translation>Treiber-Host %1 wurde neu gestartet</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>driver host %1 has not been heard for %2 s</source>
        <translation>von Treiber-Host %1 seit %2 s nichts gehört</translation>
    </message>
</context>
<context>
    <name>alabos::DriverHostProcess</name>
    <message>
        <location filename="../app/driverhost.cpp" line="+31"/>
        <source>The lab file %1 assigns no device to a driver host (&quot;driver_host&quot;)</source>
        <translation>Die Labordatei %1 ordnet keinem Treiber-Host ein Gerät zu (&quot;driver_host&quot;)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The lab file %1 assigns no device to driver host %2; its driver hosts are: %3</source>
        <translation>Die Labordatei %1 ordnet Treiber-Host %2 kein Gerät zu; ihre Treiber-Hosts sind: %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>libsodium could not be initialised</source>
        <translation>libsodium konnte nicht initialisiert werden</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Driver host %1 cannot use the database: %2</source>
        <translation>Treiber-Host %1 kann die Datenbank nicht verwenden: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Driver host %1 needs the scheduler&apos;s Kafka broker: give --kafka-bootstrap HOST:PORT (no scheduler has announced one in this database)</source>
        <translation>Treiber-Host %1 braucht den Kafka-Broker des Schedulers: --kafka-bootstrap HOST:PORT angeben (kein Scheduler hat in dieser Datenbank einen angekündigt)</translation>
    </message>
</context>
<context>
    <name>alabos::DriverHostServer</name>
    <message>
        <location filename="../core/remote/driverhostserver.cpp" line="+68"/>
        <source>Driver host %1 cannot read the scheduler&apos;s commands: %2 (is the scheduler running? It creates the topics.)</source>
        <translation>Treiber-Host %1 kann die Befehle des Schedulers nicht lesen: %2 (läuft der Scheduler? Er legt die Topics an.)</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>not signed by a scheduler of this lab</source>
        <translation>nicht von einem Scheduler dieses Labors signiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from a scheduler that lost its leadership (epoch %1, current %2)</source>
        <translation>von einem Scheduler, der seine Führung verloren hat (Epoche %1, aktuell %2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sent before this driver host started (a replay)</source>
        <translation>gesendet, bevor dieser Treiber-Host startete (eine Wiederholung)</translation>
    </message>
</context>
<context>
    <name>alabos::EmbeddedBroker</name>
    <message>
        <location filename="../core/bus/embeddedbroker.cpp" line="-178"/>
        <source>%1 is missing or not executable</source>
        <translation>%1 fehlt oder ist nicht ausführbar</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 did not answer</source>
        <translation>%1 hat nicht geantwortet</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>the embedded Kafka broker could not start: %1</source>
        <translation>der eingebettete Kafka-Broker konnte nicht starten: %1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>the embedded Kafka broker (pid %1) was killed or crashed</source>
        <translation>der eingebettete Kafka-Broker (PID %1) wurde beendet oder ist abgestürzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the embedded Kafka broker (pid %1) exited with code %2</source>
        <translation>der eingebettete Kafka-Broker (PID %1) endete mit Code %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>it listens on %1 instead of %2</source>
        <translation>er lauscht auf %1 statt auf %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>topic %1 could not be created again: %2</source>
        <translation>Topic %1 konnte nicht erneut angelegt werden: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>; port %1 is held by %2</source>
        <translation>; Port %1 ist belegt von %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the embedded Kafka broker could not be started again on %1: %2; retrying on the same port, which every client knows</source>
        <translation>der eingebettete Kafka-Broker konnte auf %1 nicht erneut gestartet werden: %2; neuer Versuch auf demselben Port, den jeder Client kennt</translation>
    </message>
</context>
<context>
    <name>alabos::EventLogModel</name>
    <message>
        <location filename="../ui/eventlogpanel.cpp" line="+79"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entity</source>
        <translation>Entität</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>alabos::EventLogPanel</name>
    <message>
        <location line="+77"/>
        <location line="+133"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>Older events</source>
        <translation>Ältere Ereignisse</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Entity id filter</source>
        <translation>Filter nach Objekt-ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entity type</source>
        <translation>Objekttyp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event kind</source>
        <translation>Ereignisart</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All entities</source>
        <translation>Alle Entitäten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tasks</source>
        <translation>Aufgaben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples</source>
        <translation>Proben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workflows</source>
        <translation>Arbeitsabläufe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entity id contains…</source>
        <translation>Entitäts-ID enthält…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Freeze the tail to read it; events that arrive meanwhile are added when you resume</source>
        <translation>Die laufende Anzeige zum Lesen anhalten; inzwischen eintreffende Ereignisse werden beim Fortsetzen ergänzt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Older events to load</source>
        <translation>Zu ladende ältere Ereignisse</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How many of the selected entity&apos;s events to load</source>
        <translation>Wie viele Ereignisse der ausgewählten Entität geladen werden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load the selected entity&apos;s last events from the database</source>
        <translation>Die letzten Ereignisse der ausgewählten Entität aus der Datenbank laden</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Events of the selected entity</source>
        <translation>Ereignisse des ausgewählten Objekts</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Last %1 events of %2 %3</source>
        <translation>Letzte %1 Ereignisse von %2 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show only %1 %2</source>
        <translation>Nur %1 %2 anzeigen</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 events shown (newest %2 kept)</source>
        <translation>%1 Ereignisse angezeigt (die neuesten %2 werden behalten)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, %1 match the filters</source>
        <translation>, %1 entsprechen den Filtern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> — paused, %1 new events waiting</source>
        <translation> — angehalten, %1 neue Ereignisse warten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> — %1 events passed too fast to show</source>
        <translation> — %1 Ereignisse kamen zu schnell für die Anzeige</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No database</source>
        <translation>Keine Datenbank</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading the last events of %1 %2…</source>
        <translation>Die letzten Ereignisse von %1 %2 werden geladen…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Could not load the events of %1 %2: %3</source>
        <translation>Die Ereignisse von %1 %2 konnten nicht geladen werden: %3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Last %1 events of %2 %3 (from the database)</source>
        <translation>Letzte %1 Ereignisse von %2 %3 (aus der Datenbank)</translation>
    </message>
</context>
<context>
    <name>alabos::EventRelay</name>
    <message>
        <location filename="../core/storage/eventrelay.cpp" line="+225"/>
        <source>event %1 (%2 %3, %4) has %5 bytes, more than the broker takes (%6): published without its large fields; the whole event is in PostgreSQL and on %7</source>
        <translation>Ereignis %1 (%2 %3, %4) hat %5 Bytes, mehr als der Broker annimmt (%6): ohne seine großen Felder veröffentlicht; das ganze Ereignis liegt in PostgreSQL und auf %7</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Kafka has not acknowledged %1 events for %2 s</source>
        <translation>Kafka hat %1 Ereignisse seit %2 s nicht bestätigt</translation>
    </message>
</context>
<context>
    <name>alabos::HeadlessCommands</name>
    <message>
        <location filename="../app/headlesscommands.cpp" line="+46"/>
        <source>alabos: command refused: a command line may be at most %1 KiB long</source>
        <translation>alabos: Befehl abgelehnt: eine Befehlszeile darf höchstens %1 KiB lang sein</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>alabos: command refused: %1</source>
        <translation>alabos: Befehl abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a command line must be one JSON object (%1)</source>
        <translation>eine Befehlszeile muss ein JSON-Objekt sein (%1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a command needs &quot;user&quot;, &quot;password&quot; and &quot;kind&quot;</source>
        <translation>ein Befehl braucht „user“, „password“ und „kind“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown command &quot;%1&quot;</source>
        <translation>unbekannter Befehl „%1“</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;signature&quot; must be an object with &quot;password&quot;, &quot;reason&quot; and optionally &quot;comment&quot;</source>
        <translation>„signature“ muss ein Objekt mit „password“, „reason“ und optional „comment“ sein</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>alabos: command %1 sent: %2</source>
        <translation>alabos: Befehl %1 gesendet: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>alabos: reply to command %1 (%2): accepted: %3</source>
        <translation>alabos: Antwort auf Befehl %1 (%2): angenommen: %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alabos: reply to command %1 (%2): refused: %3</source>
        <translation>alabos: Antwort auf Befehl %1 (%2): abgelehnt: %3</translation>
    </message>
</context>
<context>
    <name>alabos::HeadlessReporter</name>
    <message>
        <location filename="../app/headlessreporter.cpp" line="+39"/>
        <source>scheduler %1 pid %2</source>
        <translation>Scheduler %1 PID %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>scheduler UNREACHABLE (last: %1 pid %2)</source>
        <translation>Scheduler NICHT ERREICHBAR (zuletzt: %1 PID %2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>[%1 s] console: fleet %2 devices (%3) | %4 | consumer lag %5 | through event %6</source>
        <translation>[%1 s] Konsole: %2 Geräte (%3) | %4 | Consumer-Lag %5 | bis Ereignis %6</translation>
    </message>
    <message>
        <location line="+28"/>
        <source> | DATABASE UNREACHABLE</source>
        <translation> | DATENBANK NICHT ERREICHBAR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> | KAFKA UNREACHABLE</source>
        <translation> | KAFKA NICHT ERREICHBAR</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> | telemetry produced %1, persisted %2, lost %3, dead-lettered %4%5</source>
        <translation> | Telemetrie erzeugt %1, gespeichert %2, verloren %3, Dead-Letter %4%5</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (BACK-PRESSURE)</source>
        <translation> (RÜCKSTAU)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>alabos summary: ran %1 s with %2 devices; tasks completed %3, failed %4, retried after a failure %5, taken over from before the start %6; workflows submitted %7, completed %8, failed %9 (of the finished, %10 were submitted before this start); events published %11; events seen by the console %12; consumer lag %13</source>
        <translation>alabos-Zusammenfassung: %1 s mit %2 Geräten gelaufen; Aufgaben abgeschlossen %3, fehlgeschlagen %4, nach einem Fehler wiederholt %5, von vor dem Start übernommen %6; Arbeitsabläufe eingereicht %7, abgeschlossen %8, fehlgeschlagen %9 (von den beendeten wurden %10 vor diesem Start eingereicht); Ereignisse veröffentlicht %11; von der Konsole gesehene Ereignisse %12; Consumer-Lag %13</translation>
    </message>
</context>
<context>
    <name>alabos::LabEngine</name>
    <message>
        <location filename="../core/engine/recovery.cpp" line="+60"/>
        <source>superseded by a restart</source>
        <translation>durch einen Neustart hinfällig</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>resumed after a restart: %1 is still running it</source>
        <translation>nach einem Neustart fortgesetzt: %1 führt sie noch aus</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>finished on %1 while alabos was down</source>
        <translation>auf %1 abgeschlossen, während alabos nicht lief</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>re-queued after a restart: %1 did not run it</source>
        <translation>nach einem Neustart erneut eingereiht: %1 hat sie nicht ausgeführt</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>re-queued after a restart</source>
        <translation>nach einem Neustart erneut eingereiht</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>interrupted by a restart; waiting for an operator</source>
        <translation>durch einen Neustart unterbrochen; wartet auf einen Bediener</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Task %1 (%2) was running on %3 when alabos stopped, and the device cannot tell whether it finished. Run it again, mark it done, or cancel it?</source>
        <translation>Aufgabe %1 (%2) lief auf %3, als alabos beendet wurde, und das Gerät kann nicht sagen, ob sie abgeschlossen wurde. Erneut ausführen (rerun), als erledigt markieren (mark done) oder abbrechen (cancel)?</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>marked done by %1</source>
        <translation>von %1 als erledigt markiert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>rerun by %1 after a restart</source>
        <translation>nach einem Neustart von %1 erneut ausgeführt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cancelled after a restart</source>
        <translation>nach einem Neustart abgebrochen</translation>
    </message>
    <message>
        <location filename="../core/engine/workflowbook.cpp" line="+72"/>
        <source>unknown workflow template &quot;%1&quot;</source>
        <translation>unbekannte Arbeitsablaufvorlage „%1“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>workflow %1: priority %2 is outside 0..1000</source>
        <translation>Arbeitsablauf %1: Priorität %2 liegt außerhalb von 0..1000</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>workflow %1: no samples (barcodes is empty)</source>
        <translation>Arbeitsablauf %1: keine Proben („barcodes“ ist leer)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>workflow %1: an empty barcode</source>
        <translation>Arbeitsablauf %1: ein leerer Barcode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>workflow %1: a barcode is listed twice</source>
        <translation>Arbeitsablauf %1: ein Barcode ist doppelt aufgeführt</translation>
    </message>
    <message>
        <location filename="../core/engine/recovery.cpp" line="-36"/>
        <source>re-queued after a restart: %1 was interrupted while running it</source>
        <translation>nach einem Neustart erneut eingereiht: %1 wurde bei der Ausführung unterbrochen</translation>
    </message>
    <message>
        <location filename="../core/engine/resourcemanager_devices.cpp" line="+188"/>
        <source>the link to the instrument is down</source>
        <translation>die Verbindung zum Instrument ist unterbrochen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connecting to its instrument</source>
        <translation>verbindet sich mit dem Instrument</translation>
    </message>
    <message>
        <location filename="../core/engine/labengine.cpp" line="+259"/>
        <source>no driver for device %1</source>
        <translation>kein Treiber für Gerät %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 did not answer in time</source>
        <translation>%1 hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <location line="+51"/>
        <location line="+28"/>
        <location line="+16"/>
        <location filename="../core/engine/operatorcommands.cpp" line="+354"/>
        <source>cancelled by %1</source>
        <translation>von %1 abgebrochen</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>answered &quot;%1&quot; by %2</source>
        <translation>von %2 mit „%1“ beantwortet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nobody answered the prompt in time</source>
        <translation>niemand hat die Rückfrage rechtzeitig beantwortet</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>; cleanup &quot;%1&quot; done</source>
        <translation>; Aufräumschritt „%1“ erledigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>; cleanup &quot;%1&quot; failed: %2</source>
        <translation>; Aufräumschritt „%1“ fehlgeschlagen: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (the device had finished the command)</source>
        <translation> (das Gerät hatte den Befehl bereits abgeschlossen)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1; retry %2 in %3 ms</source>
        <translation>%1; Wiederholung %2 in %3 ms</translation>
    </message>
    <message>
        <location filename="../core/engine/devicecommands.cpp" line="+215"/>
        <source>%1 on %2 done</source>
        <translation>%1 auf %2 erledigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 on %2 failed: %3</source>
        <translation>%1 auf %2 fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location filename="../core/engine/labengine.cpp" line="+76"/>
        <source>an earlier task (%1) ended %2</source>
        <translation>eine vorherige Aufgabe (%1) endete mit Status %2</translation>
    </message>
    <message>
        <location filename="../core/engine/operatorcommands.cpp" line="-273"/>
        <source>%1 refused: the command carries no user</source>
        <translation>%1 abgelehnt: Der Befehl enthält keinen Benutzer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown command &quot;%1&quot;</source>
        <translation>unbekannter Befehl „%1“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 refused: %2 (%3) lacks the permission &quot;%4&quot;</source>
        <translation>%1 abgelehnt: %2 (%3) fehlt die Berechtigung „%4“</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 was not recorded: the database refused it</source>
        <translation>%1 wurde nicht gespeichert: Die Datenbank hat den Befehl abgelehnt</translation>
    </message>
    <message>
        <location filename="../core/engine/devicecommands.cpp" line="-188"/>
        <source>device.add: device %1 already exists</source>
        <translation>device.add: Gerät %1 existiert bereits</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>device.add: this lab cannot create drivers at run time</source>
        <translation>device.add: Dieses Labor kann zur Laufzeit keine Treiber erstellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>device.add: the driver for %1 could not be created: %2</source>
        <translation>device.add: Der Treiber für %1 konnte nicht erstellt werden: %2</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>%1: unknown device &quot;%2&quot;</source>
        <translation>%1: unbekanntes Gerät „%2“</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>%1 will be %2 after task %3</source>
        <translation>%1 erhält nach Aufgabe %3 den Status %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 is %2</source>
        <translation>%1 hat jetzt den Status %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 keeps running task %2</source>
        <translation>%1 führt Aufgabe %2 weiter aus</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>device.resume: %1 is not paused</source>
        <translation>device.resume: %1 ist nicht angehalten</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 resumed</source>
        <translation>%1 fortgesetzt</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 will be removed after task %2</source>
        <translation>%1 wird nach Aufgabe %2 entfernt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 removed</source>
        <translation>%1 entfernt</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>device.edit: args.type &quot;%1&quot; is not a device type</source>
        <translation>device.edit: args.type „%1“ ist kein Gerätetyp</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>device.add: &quot;%1&quot; is not a valid device name (1 to %2 letters, digits, . _ -)</source>
        <translation>device.add: &quot;%1&quot; ist kein gültiger Gerätename (1 bis %2 Buchstaben, Ziffern, . _ -)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>device.add: args.type &quot;%1&quot; is not a device type (1 to %2 lower case letters, digits, _)</source>
        <translation>device.add: args.type &quot;%1&quot; ist kein Gerätetyp (1 bis %2 Kleinbuchstaben, Ziffern, _)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>device.add: %1</source>
        <translation>device.add: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>device %1 (%2, driver %3) added</source>
        <translation>Gerät %1 (%2, Treiber %3) hinzugefügt</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>device.resume: %1 is offline (%2); it comes back by itself when its instrument answers again</source>
        <translation>device.resume: %1 ist offline (%2); es kommt von selbst zurück, wenn sein Instrument wieder antwortet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 resumed; it is offline until its instrument answers</source>
        <translation>%1 fortgesetzt; es ist offline, bis sein Instrument antwortet</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>device.edit: %1</source>
        <translation>device.edit: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>device.edit: %1 already runs as %2 with these settings</source>
        <translation>device.edit: %1 läuft schon als %2 mit diesen Einstellungen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 takes its new settings after task %2</source>
        <translation>%1 übernimmt seine neuen Einstellungen nach Aufgabe %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>device.edit: the driver for %1 could not be created: %2</source>
        <translation>device.edit: der Treiber für %1 konnte nicht erzeugt werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 now runs as %2 (driver %3)</source>
        <translation>%1 läuft jetzt als %2 (Treiber %3)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>device.reconnect: no driver serves %1</source>
        <translation>device.reconnect: kein Treiber bedient %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 reconnecting</source>
        <translation>%1 wird neu verbunden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>device.command: take %1 out of scheduling first (pause it or put it into maintenance)</source>
        <translation>device.command: Nehmen Sie %1 zuerst aus der Ablaufplanung (anhalten oder in Wartung setzen)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>device.command: args.command is missing</source>
        <translation>device.command: args.command fehlt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>device.command: no driver serves %1</source>
        <translation>device.command: kein Treiber bedient %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>device.command: %1 was not sent</source>
        <translation>device.command: %1 wurde nicht gesendet</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 did not answer %2 within 10 minutes</source>
        <translation>%1 hat %2 nicht innerhalb von 10 Minuten beantwortet</translation>
    </message>
    <message>
        <location filename="../core/engine/operatorcommands.cpp" line="-20"/>
        <source>%1 is not handled by the engine</source>
        <translation>%1 wird von der Engine nicht verarbeitet</translation>
    </message>
    <message>
        <location filename="../core/engine/devicecommands.cpp" line="+23"/>
        <source>position.add: &quot;%1&quot; is not a valid position name (parts of letters, digits, . _ - joined by /)</source>
        <translation>position.add: „%1“ ist kein gültiger Positionsname (Teile aus Buchstaben, Ziffern, . _ -, verbunden durch /)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>position.add: position %1 already exists</source>
        <translation>position.add: Position %1 existiert bereits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>position.add: args.device names unknown device &quot;%1&quot;</source>
        <translation>position.add: args.device nennt das unbekannte Gerät „%1“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>position %1 added</source>
        <translation>Position %1 hinzugefügt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>position.remove: unknown position &quot;%1&quot;</source>
        <translation>position.remove: unbekannte Position „%1“</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>position %1 will be removed after task %2</source>
        <translation>Position %1 wird nach Aufgabe %2 entfernt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>position %1 removed</source>
        <translation>Position %1 entfernt</translation>
    </message>
    <message>
        <location filename="../core/engine/operatorcommands.cpp" line="+60"/>
        <source>prompt.answer: no open prompt &quot;%1&quot;</source>
        <translation>prompt.answer: keine offene Rückfrage „%1“</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>prompt.answer: args.option must be one of: %1</source>
        <translation>prompt.answer: args.option muss einer der folgenden Werte sein: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>prompt.answer: args.note must be text</source>
        <translation>prompt.answer: args.note muss Text sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>prompt.answer: args.note has %1 characters; at most %2</source>
        <translation>prompt.answer: args.note hat %1 Zeichen; höchstens %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>prompt.answer: args.note contains a control character (U+%1)</source>
        <translation>prompt.answer: args.note enthält ein Steuerzeichen (U+%1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>prompt %1 answered &quot;%2&quot;</source>
        <translation>Rückfrage %1 mit „%2“ beantwortet</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>workflow.submit: args.template is missing</source>
        <translation>workflow.submit: args.template fehlt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>workflow.submit: args.samples must be an array of registered samples</source>
        <translation>workflow.submit: args.samples muss ein Array registrierter Proben sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>workflow.submit: args.samples has %1 samples, more than the %2 one submission may carry</source>
        <translation>workflow.submit: args.samples hat %1 Proben, mehr als die %2, die eine Einreichung tragen darf</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>workflow.submit: args.samples[%1] is not a registered sample: %2</source>
        <translation>workflow.submit: args.samples[%1] ist keine registrierte Probe: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>it needs a positive id and a barcode</source>
        <translation>sie braucht eine positive ID und einen Barcode</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+10"/>
        <source>workflow.submit: args.barcodes must be a non-empty array of strings</source>
        <translation>workflow.submit: args.barcodes muss ein nicht leeres Array von Zeichenketten sein</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>workflow.submit: args.barcodes has %1 samples, more than the %2 one submission may carry: submit them in several workflows</source>
        <translation>workflow.submit: args.barcodes hat %1 Proben, mehr als die %2, die eine Einreichung tragen darf: reichen Sie sie in mehreren Arbeitsabläufen ein</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>workflow.submit: args.priority must be low, normal, high, urgent or 0..1000</source>
        <translation>workflow.submit: args.priority muss low, normal, high, urgent oder 0..1000 sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>workflow.submit: args.parameters must be an object {task: {name: value}}</source>
        <translation>workflow.submit: args.parameters muss ein Objekt {task: {name: value}} sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>workflow.submit was not recorded: the database refused it (is a barcode already registered?)</source>
        <translation>workflow.submit wurde nicht gespeichert: Die Datenbank hat den Befehl abgelehnt (ist ein Barcode bereits registriert?)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>workflow %1 submitted</source>
        <translation>Arbeitsablauf %1 eingereicht</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>workflow.template.save: args.definition must be the template as a JSON object</source>
        <translation>workflow.template.save: args.definition muss die Vorlage als JSON-Objekt sein</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>workflow.template.save: the command names template %1, the definition %2</source>
        <translation>workflow.template.save: Der Befehl nennt die Vorlage %1, die Definition %2</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>workflow template %1 replaced (%n task(s))</source>
        <translation>
            <numerusform>Arbeitsablaufvorlage %1 ersetzt (%n Aufgabe)</numerusform>
            <numerusform>Arbeitsablaufvorlage %1 ersetzt (%n Aufgaben)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>workflow template %1 saved (%n task(s))</source>
        <translation>
            <numerusform>Arbeitsablaufvorlage %1 gespeichert (%n Aufgabe)</numerusform>
            <numerusform>Arbeitsablaufvorlage %1 gespeichert (%n Aufgaben)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: unknown task &quot;%2&quot; (or its workflow finished)</source>
        <translation>%1: unbekannte Aufgabe „%2“ (oder ihr Arbeitsablauf ist beendet)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>task.retry: task %1 is %2; only a failed task can be retried</source>
        <translation>task.retry: Aufgabe %1 hat den Status %2; nur eine fehlgeschlagene Aufgabe kann wiederholt werden</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>retried by %1</source>
        <translation>von %1 wiederholt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>task %1 is ready again</source>
        <translation>Aufgabe %1 ist wieder bereit</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>%1: task %2 is already %3</source>
        <translation>%1: Aufgabe %2 hat bereits den Status %3</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>task.cancel: task %1 is already being cancelled</source>
        <translation>task.cancel: Aufgabe %1 wird bereits abgebrochen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>cancelling task %1 on %2</source>
        <translation>Aufgabe %1 auf %2 wird abgebrochen</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>task %1 cancelled</source>
        <translation>Aufgabe %1 abgebrochen</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>task.hold: task %1 is running; cancel it or let it finish</source>
        <translation>task.hold: Aufgabe %1 läuft; brechen Sie sie ab oder lassen Sie sie zu Ende laufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>task.hold: task %1 is already held</source>
        <translation>task.hold: Aufgabe %1 ist bereits angehalten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>held by %1</source>
        <translation>von %1 angehalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>task %1 held</source>
        <translation>Aufgabe %1 angehalten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>task.release: task %1 is not held</source>
        <translation>task.release: Aufgabe %1 ist nicht angehalten</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>task %1 released</source>
        <translation>Aufgabe %1 freigegeben</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>task.priority: args.priority must be low, normal, high, urgent or 0..1000</source>
        <translation>task.priority: args.priority muss low, normal, high, urgent oder 0..1000 sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>task %1 priority %2</source>
        <translation>Aufgabe %1: Priorität %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>task.front: task %1 is already running</source>
        <translation>task.front: Aufgabe %1 läuft bereits</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>task %1 moved to the front</source>
        <translation>Aufgabe %1 an den Anfang verschoben</translation>
    </message>
</context>
<context>
    <name>alabos::LabRuntime</name>
    <message>
        <location filename="../app/labruntime.cpp" line="+463"/>
        <source>cannot create the data directory %1</source>
        <translation>das Datenverzeichnis %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The data directory %1 is in use by another alabos (pid %2 on %3). Stop it, or give this one its own --data-dir.</source>
        <translation>Das Datenverzeichnis %1 wird von einer anderen alabos-Instanz verwendet (PID %2 auf %3). Beenden Sie diese oder geben Sie dieser Instanz ein eigenes --data-dir.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Cannot connect to PostgreSQL: %1</source>
        <translation>Keine Verbindung zu PostgreSQL: %1</translation>
    </message>
    <message>
        <location line="-242"/>
        <source>Kafka reachable</source>
        <translation>Kafka erreichbar</translation>
    </message>
    <message>
        <location line="-175"/>
        <source>No lab to run: give the lab file with --lab FILE (or ALABOS_LAB, or &quot;lab&quot; in the config file), or --simulate PROFILE for a simulated lab. alabos --check-lab FILE checks a lab file without starting anything.</source>
        <translation>Kein Labor zum Betreiben: geben Sie die Labordatei mit --lab FILE an (oder ALABOS_LAB, oder &quot;lab&quot; in der Konfigurationsdatei), oder --simulate PROFILE für ein simuliertes Labor. alabos --check-lab FILE prüft eine Labordatei, ohne etwas zu starten.</translation>
    </message>
    <message>
        <location line="+161"/>
        <location line="+41"/>
        <source>Database connected</source>
        <translation>Datenbank verbunden</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>The database has not answered for %1 s</source>
        <translation>Die Datenbank antwortet seit %1 s nicht</translation>
    </message>
    <message>
        <location line="+268"/>
        <location line="+5"/>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>device %1 runs on driver host %2, but this lab has no driver hosts: declare them in the lab file</source>
        <translation>Gerät %1 läuft auf Treiber-Host %2, aber dieses Labor hat keine Treiber-Hosts: sie in der Labordatei angeben</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>The engine is not running here</source>
        <translation>Die Engine läuft hier nicht</translation>
    </message>
    <message>
        <location filename="../app/roles.cpp" line="+140"/>
        <source>This console needs the scheduler&apos;s Kafka broker: give --kafka-bootstrap HOST:PORT (no scheduler has announced one in this database)</source>
        <translation>Diese Konsole braucht den Kafka-Broker des Schedulers: geben Sie --kafka-bootstrap HOST:PORT an (in dieser Datenbank hat kein Scheduler einen eingetragen)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>cannot read the schedulers&apos; keys: %1</source>
        <translation>die Schlüssel der Scheduler können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location filename="../app/sessions.cpp" line="+23"/>
        <source>libsodium could not be initialised</source>
        <translation>libsodium konnte nicht initialisiert werden</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>cannot read the admin password file %1: %2</source>
        <translation>die Datei mit dem Administratorpasswort %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Cannot prepare the accounts: %1</source>
        <translation>Die Konten können nicht vorbereitet werden: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The administrator already has a password.</source>
        <translation>Der Administrator hat bereits ein Passwort.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Sign-in is not possible: the lab is not running</source>
        <translation>Anmelden ist nicht möglich: das Labor läuft nicht</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>this process does not run the scheduler</source>
        <translation>dieser Prozess betreibt den Scheduler nicht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>the session belongs to another console</source>
        <translation>die Sitzung gehört zu einer anderen Konsole</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 refused: %2</source>
        <translation>%1 abgelehnt: %2</translation>
    </message>
    <message>
        <location filename="../app/brokerrecovery.cpp" line="+42"/>
        <source>%1; starting it again</source>
        <translation>%1; wird erneut gestartet</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>the embedded broker was started again</source>
        <translation>der eingebettete Broker wurde erneut gestartet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The embedded Kafka broker died and was started again on %1 (restart %2): %3 telemetry readings it held were not yet persisted and are lost; no event is lost (PostgreSQL holds them all) and every console reloads the lab from PostgreSQL</source>
        <translation>Der eingebettete Kafka-Broker ist ausgefallen und wurde auf %1 erneut gestartet (Neustart %2): %3 Messwerte, die er hielt, waren noch nicht gespeichert und sind verloren; kein Ereignis geht verloren (PostgreSQL hält sie alle), und jede Konsole lädt das Labor neu aus PostgreSQL</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Kafka reachable: the embedded broker was started again</source>
        <translation>Kafka erreichbar: der eingebettete Broker wurde erneut gestartet</translation>
    </message>
</context>
<context>
    <name>alabos::LabelDialog</name>
    <message>
        <location filename="../ui/labeldialog.cpp" line="+75"/>
        <source>Print…</source>
        <translation>Drucken…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export PDF…</source>
        <translation>Als PDF exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Print sample labels</source>
        <translation>Probenetiketten drucken</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Custom roll label…</source>
        <translation>Rollenetikett mit eigener Größe…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The label stock: a roll for a label printer, or a sheet of labels for an office printer</source>
        <translation>Das Etikettenmaterial: eine Rolle für einen Etikettendrucker oder ein Etikettenbogen für einen Bürodrucker</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> mm</source>
        <translation> mm</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Label width</source>
        <translation>Etikettenbreite</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label height</source>
        <translation>Etikettenhöhe</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>DataMatrix fits small labels and needs a 2D (camera) scanner; Code 128 is read by every scanner but needs a wide label</source>
        <translation>DataMatrix passt auf kleine Etiketten und braucht einen 2D-Scanner (Kamera); Code 128 liest jeder Scanner, er braucht aber ein breites Etikett</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Labels per sample, one for each vial</source>
        <translation>Etiketten je Probe, eines für jedes Gefäß</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>On a sheet already partly used: the first free label, counted row by row from the top left</source>
        <translation>Auf einem schon teilweise benutzten Bogen: das erste freie Etikett, zeilenweise von links oben gezählt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Labels:</source>
        <translation>&amp;Etiketten:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom &amp;size:</source>
        <translation>Eigene &amp;Größe:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Barcode:</source>
        <translation>&amp;Barcode:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copies per sample:</source>
        <translation>E&amp;xemplare je Probe:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Start at label:</source>
        <translation>Beginnen bei Etikett &amp;Nr.:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No samples chosen.</source>
        <translation>Keine Proben gewählt.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n sample(s): %1</source>
        <translation>
            <numerusform>%n Probe: %1</numerusform>
            <numerusform>%n Proben: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>%1 on %2.</source>
        <translation>%1 auf %2.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n label(s)</source>
        <translation>
            <numerusform>%n Etikett</numerusform>
            <numerusform>%n Etiketten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n sheet(s)</source>
        <translation>
            <numerusform>%n Bogen</numerusform>
            <numerusform>%n Bögen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n label(s) on the roll.</source>
        <translation>
            <numerusform>%n Etikett auf der Rolle.</numerusform>
            <numerusform>%n Etiketten auf der Rolle.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>%n label(s) written to %1</source>
        <translation>
            <numerusform>%n Etikett in %1 geschrieben</numerusform>
            <numerusform>%n Etiketten in %1 geschrieben</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>%n label(s) sent to %1</source>
        <translation>
            <numerusform>%n Etikett an %1 gesendet</numerusform>
            <numerusform>%n Etiketten an %1 gesendet</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sample labels</source>
        <translation>Probenetiketten</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Print %n label(s)</source>
        <translation>
            <numerusform>%n Etikett drucken</numerusform>
            <numerusform>%n Etiketten drucken</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export labels as PDF</source>
        <translation>Etiketten als PDF exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
</context>
<context>
    <name>alabos::LabelPreview</name>
    <message>
        <location line="-213"/>
        <source>No preview</source>
        <translation>Keine Vorschau</translation>
    </message>
</context>
<context>
    <name>alabos::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="+56"/>
        <source>alabos — lab console</source>
        <translation>alabos — Laborkonsole</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Task queue</source>
        <translation>Aufgabenwarteschlange</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Database connected</source>
        <translation>Datenbank verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kafka reachable</source>
        <translation>Kafka erreichbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Consumer lag: —</source>
        <translation>Consumer-Lag: —</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engine starting…</source>
        <translation>Engine startet…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Adding a device needs the permission &quot;%1&quot;; sign in as an admin</source>
        <translation>Ein Gerät hinzuzufügen erfordert die Berechtigung &quot;%1&quot;; melden Sie sich als Admin an</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Adding a position needs the permission &quot;%1&quot;; sign in as an admin</source>
        <translation>Eine Position hinzuzufügen erfordert die Berechtigung &quot;%1&quot;; melden Sie sich als Admin an</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This console cannot export the lab</source>
        <translation>Diese Konsole kann das Labor nicht exportieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export lab file</source>
        <translation>Labordatei exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lab files (*.json)</source>
        <translation>Labordateien (*.json)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exporting the lab to %1…</source>
        <translation>Exportiere das Labor nach %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lab exported to %1</source>
        <translation>Labor nach %1 exportiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Sign in…</source>
        <translation>&amp;Anmelden…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API &amp;tokens…</source>
        <translation>API-&amp;Tokens…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Lab</source>
        <translation>&amp;Labor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add device…</source>
        <translation>Gerät &amp;hinzufügen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;position…</source>
        <translation>&amp;Position hinzufügen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export lab file…</source>
        <translation>Labordatei &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Workflow editor…</source>
        <translation>&amp;Arbeitsablauf-Editor…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;REST API…</source>
        <translation>&amp;REST-API…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Electronic &amp;signatures…</source>
        <translation>Elektronische &amp;Unterschriften…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Needs the permission &quot;%1&quot;</source>
        <translation>Erfordert die Berechtigung „%1“</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reset layout</source>
        <translation>Layout &amp;zurücksetzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Theme</source>
        <translation>&amp;Farbschema</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About alabos</source>
        <translation>Ü&amp;ber alabos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About alabos</source>
        <translation>Über alabos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;alabos %1&lt;/b&gt;&lt;p&gt;The laboratory automation console.&lt;/p&gt;</source>
        <translation>&lt;b&gt;alabos %1&lt;/b&gt;&lt;p&gt;Die Konsole für die Laborautomatisierung.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+156"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not logged in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Consumer lag: %1</source>
        <translation>Consumer-Lag: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Engine running — %1 tasks running, %2 waiting for a device, %3 completed, %4 failed, %5 workflows completed</source>
        <translation>Engine läuft — %1 Aufgaben laufen, %2 warten auf ein Gerät, %3 erledigt, %4 fehlgeschlagen, %5 Arbeitsabläufe erledigt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Database unreachable</source>
        <translation>Datenbank nicht erreichbar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Database unreachable since %1: running tasks go on, new tasks wait, nothing is lost</source>
        <translation>Datenbank nicht erreichbar seit %1: laufende Aufgaben gehen weiter, neue warten, nichts geht verloren</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Database back after %n s</source>
        <translation>
            <numerusform>Datenbank nach %n s wieder da</numerusform>
            <numerusform>Datenbank nach %n s wieder da</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Kafka</source>
        <translation>Kafka</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kafka unreachable</source>
        <translation>Kafka nicht erreichbar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No scheduler</source>
        <translation>Kein Scheduler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No scheduler has ever run on this database</source>
        <translation>Auf dieser Datenbank lief noch nie ein Scheduler</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scheduler: host %1, pid %2</source>
        <translation>Scheduler: Host %1, PID %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scheduler unreachable (host %1, pid %2)</source>
        <translation>Scheduler nicht erreichbar (Host %1, PID %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This process runs the scheduler since %1</source>
        <translation>Dieser Prozess betreibt den Scheduler seit %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scheduler since %1; this console sends its commands there through Kafka</source>
        <translation>Scheduler seit %1; diese Konsole sendet ihre Befehle über Kafka dorthin</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Console only — the lab runs on the scheduler</source>
        <translation>Nur Konsole — das Labor läuft im Scheduler</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Console only — the scheduler is stopped or unreachable: commands cannot run</source>
        <translation>Nur Konsole — der Scheduler ist beendet oder nicht erreichbar: Befehle können nicht ausgeführt werden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Kafka bootstrap %1</source>
        <translation>Kafka-Bootstrap %1</translation>
    </message>
    <message>
        <location filename="../ui/panels.cpp" line="-22"/>
        <source>Samples</source>
        <translation>Proben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Workflows</source>
        <translation>Arbeitsabläufe</translation>
    </message>
</context>
<context>
    <name>alabos::ModbusDriver</name>
    <message>
        <location filename="../core/drivers/modbusdriver.cpp" line="-298"/>
        <source>%1: Modbus TCP %2:%3</source>
        <translation>%1: Modbus TCP %2:%3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: Modbus TCP %2:%3: %4</source>
        <translation>%1: Modbus TCP %2:%3: %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>connection closed</source>
        <translation>Verbindung geschlossen</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+128"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="-102"/>
        <source>%1: %2 failed: %3</source>
        <translation>%1: %2 fehlgeschlagen: %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: no answer to %2 requests in a row</source>
        <translation>%1: keine Antwort auf %2 Anfragen in Folge</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>no value for register &quot;%1&quot;</source>
        <translation>kein Wert für Register „%1“</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1: no value for the completion condition</source>
        <translation>%1: kein Wert für die Abschlussbedingung</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1: cannot send a Modbus request</source>
        <translation>%1: Modbus-Anfrage kann nicht gesendet werden</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1: %2 did not reach %3 %4 within %5 ms (last %6)</source>
        <translation>%1: %2 hat %3 %4 nicht innerhalb von %5 ms erreicht (zuletzt %6)</translation>
    </message>
</context>
<context>
    <name>alabos::NewApiTokenDialog</name>
    <message>
        <location filename="../ui/apitokensdialog.cpp" line="+15"/>
        <source>New API token</source>
        <translation>Neues API-Token</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>what the token is for, e.g. LIMS import</source>
        <translation>wofür das Token ist, z. B. LIMS-Import</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Expires in:</source>
        <translation>Läuft &amp;ab in:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>C&amp;reate</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Creating…</source>
        <translation>Wird erstellt…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&lt;b&gt;Copy this token now: it will not be shown again.&lt;/b&gt; alabos keeps only a hash of it. Anyone holding it acts as you until it expires or you revoke it.</source>
        <translation>&lt;b&gt;Kopieren Sie dieses Token jetzt: es wird nicht noch einmal angezeigt.&lt;/b&gt; alabos speichert nur einen Hash davon. Wer es hat, handelt als Sie, bis es abläuft oder Sie es widerrufen.</translation>
    </message>
</context>
<context>
    <name>alabos::PositionDialog</name>
    <message>
        <location filename="../ui/positiondialog.cpp" line="+29"/>
        <source>&amp;Add position</source>
        <translation>Position &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add position</source>
        <translation>Position hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>furnace-2/tray</source>
        <translation>ofen-2/traeger</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position name</source>
        <translation>Positionsname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parts of letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos; joined by &apos;/&apos;: the part before the last &apos;/&apos; is its parent</source>
        <translation>Teile aus Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;, verbunden durch &apos;/&apos;: der Teil vor dem letzten &apos;/&apos; ist die übergeordnete Position</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(no device)</source>
        <translation>(kein Gerät)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device that holds it</source>
        <translation>Gerät, das sie hält</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slots</source>
        <translation>Plätze</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>0: one position; N: also NAME/1 to NAME/N, one sample each</source>
        <translation>0: eine Position; N: zusätzlich NAME/1 bis NAME/N, je eine Probe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Device</source>
        <translation>&amp;Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Slots</source>
        <translation>&amp;Plätze</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Name: parts of letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; joined by &apos;/&apos;</source>
        <translation>Name: Teile aus Buchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; oder &apos;-&apos;, verbunden durch &apos;/&apos;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sending…</source>
        <translation>Sende…</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n position(s) added</source>
        <translation>
            <numerusform>%n Position hinzugefügt</numerusform>
            <numerusform>%n Positionen hinzugefügt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alabos::ProcessDriver</name>
    <message>
        <location filename="../core/drivers/processdriver.cpp" line="+19"/>
        <source>%1: the driver program did not describe itself within %2 ms</source>
        <translation>%1: das Treiberprogramm hat sich nicht innerhalb von %2 ms beschrieben</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the driver program did not answer query_state within %2 ms</source>
        <translation>%1: das Treiberprogramm hat query_state nicht innerhalb von %2 ms beantwortet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the driver program did not answer a ping within %2 ms (hung?)</source>
        <translation>%1: das Treiberprogramm hat einen Ping nicht innerhalb von %2 ms beantwortet (hängt es?)</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>%1: the driver program %2 could not be started: %3</source>
        <translation>%1: das Treiberprogramm %2 konnte nicht gestartet werden: %3</translation>
    </message>
    <message>
        <location line="+56"/>
        <location line="+7"/>
        <source>a line longer than %1 bytes</source>
        <translation>eine Zeile länger als %1 Bytes</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>was killed (%1)</source>
        <translation>wurde beendet (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>exited with code %1</source>
        <translation>hat sich mit Code %1 beendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: the driver program %2</source>
        <translation>%1: das Treiberprogramm %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1: driver protocol error: %2</source>
        <translation>%1: Treiberprotokollfehler: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: driver protocol error: %2 in &quot;%3&quot;</source>
        <translation>%1: Treiberprotokollfehler: %2 in &quot;%3&quot;</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not JSON (%1)</source>
        <translation>kein JSON (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not a JSON object</source>
        <translation>kein JSON-Objekt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&quot;%1&quot; before describe</source>
        <translation>&quot;%1&quot; vor describe</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>no &quot;type&quot;</source>
        <translation>kein &quot;type&quot;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown message type &quot;%1&quot;</source>
        <translation>unbekannter Nachrichtentyp &quot;%1&quot;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a second describe</source>
        <translation>ein zweites describe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>describe: &quot;protocol&quot; must be %1 (this alabos speaks version %1)</source>
        <translation>describe: &quot;protocol&quot; muss %1 sein (dieses alabos spricht Version %1)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>describe: &quot;commands&quot; must be an array</source>
        <translation>describe: &quot;commands&quot; muss eine Liste sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>describe: more than 256 commands</source>
        <translation>describe: mehr als 256 Befehle</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>%1: driver program ready</source>
        <translation>%1: Treiberprogramm bereit</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>result: &quot;ok&quot; must be true or false</source>
        <translation>result: &quot;ok&quot; muss true oder false sein</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>result: &quot;data&quot; must be an object</source>
        <translation>result: &quot;data&quot; muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: the command failed</source>
        <translation>%1: der Befehl ist fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>telemetry: &quot;metric&quot; must be a name of 1 to 64 characters</source>
        <translation>telemetry: &quot;metric&quot; muss ein Name mit 1 bis 64 Zeichen sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>telemetry: &quot;value&quot; must be a number or null</source>
        <translation>telemetry: &quot;value&quot; muss eine Zahl oder null sein</translation>
    </message>
</context>
<context>
    <name>alabos::PromptsPanel</name>
    <message>
        <location filename="../ui/promptspanel.cpp" line="+20"/>
        <source>No open prompts.</source>
        <translation>Keine offenen Rückfragen.</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Task %1</source>
        <translation>Aufgabe %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> on %1</source>
        <translation> auf %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · answer by %1</source>
        <translation> · Antwort bis %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Note (optional)</source>
        <translation>Notiz (optional)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Your role may not answer prompts (prompt_answer)</source>
        <translation>Ihre Rolle darf keine Rückfragen beantworten (prompt_answer)</translation>
    </message>
</context>
<context>
    <name>alabos::RemoteCommandClient</name>
    <message>
        <location filename="../core/bus/commandchannel.cpp" line="+135"/>
        <source>Commands cannot reach the scheduler: %1</source>
        <translation>Befehle erreichen den Scheduler nicht: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>this console is not connected to the Kafka broker</source>
        <translation>diese Konsole ist nicht mit dem Kafka-Broker verbunden</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The sign-in</source>
        <translation>Die Anmeldung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 may or may not have reached the scheduler: the Kafka broker did not confirm it (%2); look at its effect before sending it again</source>
        <translation>%1 hat den Scheduler vielleicht erreicht, vielleicht nicht: der Kafka-Broker hat es nicht bestätigt (%2); prüfen Sie die Wirkung, bevor Sie es erneut senden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 was not sent: the Kafka broker could not be reached within %2 s (%3); nothing was done</source>
        <translation>%1 wurde nicht gesendet: der Kafka-Broker war innerhalb von %2 s nicht erreichbar (%3); es wurde nichts ausgeführt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1 was not sent: this console has no session; sign in first</source>
        <translation>%1 wurde nicht gesendet: diese Konsole hat keine Sitzung; melden Sie sich zuerst an</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 was not sent: the scheduler&apos;s key is not usable for a signature</source>
        <translation>%1 wurde nicht gesendet: der Schlüssel des Schedulers ist für eine Unterschrift nicht verwendbar</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 could not be sent to the scheduler: %2</source>
        <translation>%1 konnte nicht an den Scheduler gesendet werden: %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The scheduler&apos;s key is unknown: sign-in is not possible</source>
        <translation>Der Schlüssel des Schedulers ist unbekannt: Anmelden ist nicht möglich</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The scheduler&apos;s key is not usable: sign-in is not possible</source>
        <translation>Der Schlüssel des Schedulers ist nicht verwendbar: Anmelden ist nicht möglich</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The sign-in could not be sent to the scheduler: %1</source>
        <translation>Die Anmeldung konnte nicht an den Scheduler gesendet werden: %1</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>The scheduler&apos;s answer to the sign-in could not be read</source>
        <translation>Die Antwort des Schedulers auf die Anmeldung konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No scheduler answered the sign-in within %1 s: it is stopped or unreachable</source>
        <translation>Kein Scheduler hat die Anmeldung innerhalb von %1 s beantwortet: er ist angehalten oder nicht erreichbar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No scheduler answered %1 within %2 s: it is stopped or unreachable</source>
        <translation>Kein Scheduler hat %1 innerhalb von %2 s beantwortet: er ist beendet oder nicht erreichbar</translation>
    </message>
</context>
<context>
    <name>alabos::RemoteCommandServer</name>
    <message>
        <location line="+28"/>
        <source>The scheduler cannot read commands from other consoles: %1</source>
        <translation>Der Scheduler kann keine Befehle anderer Konsolen lesen: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Command refused: %1</source>
        <translation>Befehl abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a sign-in whose credentials are not sealed to this scheduler</source>
        <translation>eine Anmeldung, deren Zugangsdaten nicht für diesen Scheduler versiegelt sind</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sign-in refused: the credentials were not sealed to the running scheduler</source>
        <translation>Anmeldung abgelehnt: die Zugangsdaten waren nicht für den laufenden Scheduler versiegelt</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>the command&apos;s signature was not sealed to this scheduler for this request</source>
        <translation>die Unterschrift des Befehls wurde nicht für diese Anfrage an diesen Scheduler versiegelt</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Sign-in refused: the console&apos;s reply key is not usable</source>
        <translation>Anmeldung abgelehnt: der Antwortschlüssel der Konsole ist nicht verwendbar</translation>
    </message>
</context>
<context>
    <name>alabos::RemoteDriver</name>
    <message>
        <location filename="../core/remote/remotedriver.cpp" line="+42"/>
        <source>%1: driver host %2 is not reachable</source>
        <translation>%1: Treiber-Host %2 ist nicht erreichbar</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1: the command could not be sent to driver host %2: %3</source>
        <translation>%1: der Befehl konnte nicht an Treiber-Host %2 gesendet werden: %3</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>through driver host %1</source>
        <translation>über Treiber-Host %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 on driver host %2: %3</source>
        <translation>%1 auf Treiber-Host %2: %3</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: command %2 was interrupted on driver host %3</source>
        <translation>%1: Befehl %2 wurde auf Treiber-Host %3 unterbrochen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: driver host %2 does not have command %3 (it never arrived)</source>
        <translation>%1: Treiber-Host %2 hat Befehl %3 nicht (er kam nie an)</translation>
    </message>
</context>
<context>
    <name>alabos::SampleRegistrar</name>
    <message>
        <location filename="../core/storage/sampleregistrar.cpp" line="+29"/>
        <source>&quot;samples&quot; must be a list of samples</source>
        <translation>„samples“ muss eine Liste von Proben sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no samples to register</source>
        <translation>keine Proben zu registrieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 samples in one request; at most %2</source>
        <translation>%1 Proben in einer Anfrage; höchstens %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not an object</source>
        <translation>%1 ist kein Objekt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: &quot;barcode&quot; is missing</source>
        <translation>%1: „barcode“ fehlt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: barcode &quot;%2&quot; is longer than %3 characters</source>
        <translation>%1: Barcode „%2“ ist länger als %3 Zeichen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: barcode &quot;%2&quot; contains a space or a control character</source>
        <translation>%1: Barcode „%2“ enthält ein Leerzeichen oder ein Steuerzeichen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>barcode &quot;%1&quot; appears twice in the request (samples[%2] and %3)</source>
        <translation>Barcode „%1“ kommt in der Anfrage zweimal vor (samples[%2] und %3)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: &quot;metadata&quot; must be an object</source>
        <translation>%1: „metadata“ muss ein Objekt sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: &quot;name&quot; must be text</source>
        <translation>%1: „name“ muss Text sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2): &quot;name&quot; has %3 characters; at most %4</source>
        <translation>%1 (%2): „name“ hat %3 Zeichen; höchstens %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 (%2): &quot;metadata&quot; has %3 bytes; at most %4</source>
        <translation>%1 (%2): „metadata“ hat %3 Bytes; höchstens %4</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>Nothing registered: %n barcode(s) already registered: %1</source>
        <translation>
            <numerusform>Nichts registriert: %n Barcode ist bereits registriert: %1</numerusform>
            <numerusform>Nichts registriert: %n Barcodes sind bereits registriert: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Log in to delete samples</source>
        <translation>Zum Löschen von Proben anmelden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sample.delete refused: %1 (%2) lacks the permission &quot;%3&quot;</source>
        <translation>sample.delete abgelehnt: %1 (%2) fehlt die Berechtigung „%3“</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>sample.delete: args.barcodes must be an array of 1 to %1 barcodes</source>
        <translation>sample.delete: args.barcodes muss eine Liste von 1 bis %1 Barcodes sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>sample.delete: args.barcodes[%1] must be a barcode of 1 to %2 characters</source>
        <translation>sample.delete: args.barcodes[%1] muss ein Barcode mit 1 bis %2 Zeichen sein</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sample.delete: args.barcodes lists %1 twice</source>
        <translation>sample.delete: args.barcodes nennt %1 zweimal</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sample.delete: args.reason must say why, in 1 to %1 characters</source>
        <translation>sample.delete: args.reason muss den Grund nennen, mit 1 bis %1 Zeichen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sample.delete: %1</source>
        <translation>sample.delete: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Deleted %n sample(s)</source>
        <translation>
            <numerusform>%n Probe gelöscht</numerusform>
            <numerusform>%n Proben gelöscht</numerusform>
        </translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Not a sample registration: %1</source>
        <translation>Keine Probenregistrierung: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Log in to register samples</source>
        <translation>Melden Sie sich an, um Proben zu registrieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2) may not register samples</source>
        <translation>%1 (%2) darf keine Proben registrieren</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+34"/>
        <location line="+42"/>
        <source>Nothing registered: %1</source>
        <translation>Nichts registriert: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Registered %n sample(s)</source>
        <translation>
            <numerusform>%n Probe registriert</numerusform>
            <numerusform>%n Proben registriert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alabos::SampleRegistrationDialog</name>
    <message>
        <location filename="../ui/sampledialogs.cpp" line="-625"/>
        <source>Register</source>
        <translation>Registrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print labels…</source>
        <translation>Etiketten drucken…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Register a sample</source>
        <translation>Probe registrieren</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Fields marked * are required. The barcode is checked against the registry when you leave the field.</source>
        <translation>Mit * markierte Felder sind Pflichtfelder. Der Barcode wird beim Verlassen des Felds mit dem Probenregister abgeglichen.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Register this sample in the lab</source>
        <translation>Diese Probe im Labor registrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your role may not register samples (needs sample_register)</source>
        <translation>Ihre Rolle darf keine Proben registrieren (erfordert sample_register)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Not checked: no database connection here; the lab checks on submit</source>
        <translation>Nicht geprüft: keine Datenbankverbindung hier; das Labor prüft beim Absenden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Could not check: %1</source>
        <translation>Prüfung nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+58"/>
        <source>Already registered</source>
        <translation>Bereits registriert</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+20"/>
        <source>Not registered yet</source>
        <translation>Noch nicht registriert</translation>
    </message>
    <message numerus="yes">
        <location line="-10"/>
        <source>Fix the %n marked field(s)</source>
        <translation>
            <numerusform>Korrigieren Sie %n markiertes Feld</numerusform>
            <numerusform>Korrigieren Sie die %n markierten Felder</numerusform>
        </translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Registering %1…</source>
        <translation>%1 wird registriert…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 registered</source>
        <translation>%1 registriert</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Labels for the %n sample(s) registered in this window</source>
        <translation>
            <numerusform>Etiketten für die in diesem Fenster registrierte Probe</numerusform>
            <numerusform>Etiketten für die %n in diesem Fenster registrierten Proben</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alabos::SampleTableModel</name>
    <message>
        <location filename="../ui/labmodels.cpp" line="+53"/>
        <source>Sample</source>
        <translation>Probe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Barcode</source>
        <translation>Barcode</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Workflow</source>
        <translation>Arbeitsablauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Registered</source>
        <translation>Registriert</translation>
    </message>
</context>
<context>
    <name>alabos::SamplesPanel</name>
    <message>
        <location filename="../ui/samplespanel.cpp" line="+48"/>
        <source>Register…</source>
        <translation>Registrieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import CSV…</source>
        <translation>CSV importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print labels…</source>
        <translation>Etiketten drucken…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Samples</source>
        <translation>Proben</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Search samples</source>
        <translation>Proben suchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search the registry by barcode, name, project, composition…</source>
        <translation>Probenregister nach Barcode, Name, Projekt, Zusammensetzung durchsuchen…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Print or export as PDF labels with a barcode for the selected samples (%1)</source>
        <translation>Etiketten mit Barcode für die ausgewählten Proben drucken oder als PDF exportieren (%1)</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Your role (%1) may not register samples</source>
        <translation>Ihre Rolle (%1) darf keine Proben registrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in to register samples</source>
        <translation>Melden Sie sich an, um Proben zu registrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register one sample through the form</source>
        <translation>Eine Probe über das Formular registrieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Register 1 to 1,000 samples from a CSV file, with a preview</source>
        <translation>1 bis 1.000 Proben aus einer CSV-Datei registrieren, mit Vorschau</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Your role (%1) may not delete samples (permission %2)</source>
        <translation>Ihre Rolle (%1) darf keine Proben löschen (Berechtigung %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Log in to delete samples</source>
        <translation>Zum Löschen von Proben anmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected samples, with a reason: they leave the live views and their positions; their record stays</source>
        <translation>Die ausgewählten Proben mit Grund löschen: sie verschwinden aus den Live-Ansichten und von ihren Positionen; ihr Datensatz bleibt erhalten</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n sample(s) in this session&apos;s live view; search to find any sample in the registry.</source>
        <translation>
            <numerusform>%n Probe in der Live-Ansicht dieser Sitzung; suchen Sie, um beliebige Proben im Probenregister zu finden.</numerusform>
            <numerusform>%n Proben in der Live-Ansicht dieser Sitzung; suchen Sie, um beliebige Proben im Probenregister zu finden.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No database here: filtering the live view only</source>
        <translation>Keine Datenbank hier: Nur die Live-Ansicht wird gefiltert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Searching the registry for &quot;%1&quot;…</source>
        <translation>Probenregister wird nach „%1“ durchsucht…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Search failed: %1</source>
        <translation>Suche fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The newest %1 samples matching &quot;%2&quot;; refine the search to see others</source>
        <translation>Die neuesten %1 Proben zu „%2“; verfeinern Sie die Suche, um weitere zu sehen</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n sample(s) in the registry match &quot;%1&quot;</source>
        <translation>
            <numerusform>%n Probe im Probenregister passt zu „%1“</numerusform>
            <numerusform>%n Proben im Probenregister passen zu „%1“</numerusform>
        </translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Scanned %1</source>
        <translation>%1 gescannt</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scanned %1: not in the live view, and no database here to search</source>
        <translation>%1 gescannt: nicht in der Live-Ansicht, und hier gibt es keine Datenbank zum Suchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scanned %1: looking it up in the registry…</source>
        <translation>%1 gescannt: wird im Probenregister gesucht…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Scanned %1: the registry could not be searched: %2</source>
        <translation>%1 gescannt: Das Probenregister konnte nicht durchsucht werden: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scanned %1: no sample has this barcode</source>
        <translation>%1 gescannt: Keine Probe hat diesen Barcode</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scanned %1: this sample was deleted on %2</source>
        <translation>%1 gescannt: diese Probe wurde am %2 gelöscht</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+7"/>
        <location line="+15"/>
        <source>Delete samples</source>
        <translation>Proben löschen</translation>
    </message>
    <message numerus="yes">
        <location line="-21"/>
        <source>%n samples are selected; at most %1 are deleted at once.</source>
        <translation>
            <numerusform>%n Probe ist ausgewählt; höchstens %1 werden auf einmal gelöscht.</numerusform>
            <numerusform>%n Proben sind ausgewählt; höchstens %1 werden auf einmal gelöscht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Delete %n sample(s) (%1)?
They leave the live views and their positions; their record, history and audit trail stay, and their barcodes cannot be registered again.

Why? (required)</source>
        <translation>
            <numerusform>%n Probe (%1) löschen?
Sie verschwindet aus den Live-Ansichten und von ihrer Position; ihr Datensatz, Verlauf und Prüfprotokoll bleiben erhalten, und ihr Barcode kann nicht erneut registriert werden.

Warum? (erforderlich)</numerusform>
            <numerusform>%n Proben (%1) löschen?
Sie verschwinden aus den Live-Ansichten und von ihren Positionen; ihre Datensätze, Verläufe und das Prüfprotokoll bleiben erhalten, und ihre Barcodes können nicht erneut registriert werden.

Warum? (erforderlich)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason for deleting</source>
        <translation>Grund für das Löschen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Say why the samples are deleted: the reason is kept with them.</source>
        <translation>Geben Sie an, warum die Proben gelöscht werden: der Grund wird mit ihnen aufbewahrt.</translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Deleting %n sample(s)…</source>
        <translation>
            <numerusform>%n Probe wird gelöscht…</numerusform>
            <numerusform>%n Proben werden gelöscht…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>alabos::SchedulePanel</name>
    <message>
        <location filename="../ui/schedulepanel.cpp" line="+49"/>
        <source>not predictable</source>
        <translation>nicht vorhersagbar</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Filter devices</source>
        <translation>Geräte filtern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter devices by name, type or status…</source>
        <translation>Geräte nach Name, Typ oder Status filtern…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>10 minutes</source>
        <translation>10 Minuten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>30 minutes</source>
        <translation>30 Minuten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>3 hours</source>
        <translation>3 Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>12 hours</source>
        <translation>12 Stunden</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>1 day</source>
        <translation>1 Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 week</source>
        <translation>1 Woche</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>How much time the width shows (Ctrl+wheel zooms around the pointer)</source>
        <translation>Wie viel Zeit die Breite zeigt (Strg+Mausrad zoomt um den Zeiger)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scroll to now</source>
        <translation>Zu jetzt scrollen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Predict again from the scheduler&apos;s queue now</source>
        <translation>Jetzt erneut aus der Warteschlange des Schedulers vorhersagen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Selected workflow</source>
        <translation>Ausgewählter Arbeitsablauf</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Predicted</source>
        <translation>Vorhergesagt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Predicted schedule</source>
        <translation>Vorhergesagter Zeitplan</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Your role may not change tasks (it needs permission %1)</source>
        <translation>Ihre Rolle darf keine Aufgaben ändern (dazu ist die Berechtigung %1 nötig)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign in to change tasks</source>
        <translation>Melden Sie sich an, um Aufgaben zu ändern</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Zoom:</source>
        <translation>Zoom:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The schedule is predicted at the scheduler&apos;s own console; this console runs no scheduler.</source>
        <translation>Der Zeitplan wird an der Konsole des Schedulers vorhergesagt; diese Konsole betreibt keinen Scheduler.</translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>%n queued task(s) on %1 devices, predicted in %2 ms.</source>
        <translation>
            <numerusform>%n wartende Aufgabe auf %1 Geräten, vorhergesagt in %2 ms.</numerusform>
            <numerusform>%n wartende Aufgaben auf %1 Geräten, vorhergesagt in %2 ms.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n task(s) cannot be predicted (held, after a held task, or no device of their type can take them).</source>
        <translation>
            <numerusform>%n Aufgabe ist nicht vorhersagbar (angehalten, nach einer angehaltenen Aufgabe oder kein Gerät ihres Typs kann sie übernehmen).</numerusform>
            <numerusform>%n Aufgaben sind nicht vorhersagbar (angehalten, nach einer angehaltenen Aufgabe oder kein Gerät ihres Typs kann sie übernehmen).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Workflow %1 (%2)</source>
        <translation>Arbeitsablauf %1 (%2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical path</source>
        <translation>Kritischer Pfad</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 #%2 on %3</source>
        <translation>%1 #%2 auf %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Samples (%1)</source>
        <translation>Proben (%1)</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>… %n more</source>
        <translation>
            <numerusform>… %n weitere</numerusform>
            <numerusform>… %n weitere</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sample %1</source>
        <translation>Probe %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Your role may not change tasks</source>
        <translation>Ihre Rolle darf keine Aufgaben ändern</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Task %1 keeps priority %2</source>
        <translation>Aufgabe %1 behält Priorität %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Task %1: priority %2 → %3…</source>
        <translation>Aufgabe %1: Priorität %2 → %3…</translation>
    </message>
</context>
<context>
    <name>alabos::ScheduleView</name>
    <message>
        <location filename="../ui/scheduleview.cpp" line="+41"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 d %2 h</source>
        <translation>%1 d %2 h</translation>
    </message>
    <message numerus="yes">
        <location line="+272"/>
        <source>%1 (%n device(s))</source>
        <translation>
            <numerusform>%1 (%n Gerät)</numerusform>
            <numerusform>%1 (%n Geräte)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+66"/>
        <source>No device matches the filter</source>
        <translation>Kein Gerät passt zum Filter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No schedule yet</source>
        <translation>Noch kein Zeitplan</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Drop here to hold the task</source>
        <translation>Hier ablegen, um die Aufgabe anzuhalten</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&lt;b&gt;%1&lt;/b&gt; #%2, workflow %3 (%4)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; #%2, Arbeitsablauf %3 (%4)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Device: %1</source>
        <translation>Gerät: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Running since %1, predicted end %2</source>
        <translation>Läuft seit %1, vorhergesagtes Ende %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Predicted start %1, end %2</source>
        <translation>Vorhergesagter Beginn %1, Ende %2</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Duration: median %1 (10–90%: %2 – %3) of the last %n run(s)</source>
        <translation>
            <numerusform>Dauer: Median %1 (10–90 %: %2 – %3) des letzten Laufs</numerusform>
            <numerusform>Dauer: Median %1 (10–90 %: %2 – %3) der letzten %n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Duration: %1, from the template (no run in the history)</source>
        <translation>Dauer: %1, aus der Vorlage (kein Lauf in der Historie)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority %1</source>
        <translation>Priorität %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waits %1 for a device</source>
        <translation>Wartet %1 auf ein Gerät</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Workflow and its %n sample(s) done at %1</source>
        <translation>
            <numerusform>Arbeitsablauf und seine %n Probe fertig um %1</numerusform>
            <numerusform>Arbeitsablauf und seine %n Proben fertig um %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Workflow finish cannot be predicted (a task is held or has no device)</source>
        <translation>Das Ende des Arbeitsablaufs ist nicht vorhersagbar (eine Aufgabe ist angehalten oder hat kein Gerät)</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Task %1 is running; only queued tasks can be moved</source>
        <translation>Aufgabe %1 läuft; nur wartende Aufgaben lassen sich verschieben</translation>
    </message>
</context>
<context>
    <name>alabos::SchemaForm</name>
    <message>
        <location filename="../ui/schemaform.cpp" line="+20"/>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at least %1</source>
        <translation>mindestens %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at most %1</source>
        <translation>höchstens %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>YYYY-MM-DD</source>
        <translation>JJJJ-MM-TT</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 *</source>
        <translation>%1 *</translation>
    </message>
</context>
<context>
    <name>alabos::ScpiDriver</name>
    <message>
        <location filename="../core/drivers/scpidriver.cpp" line="+50"/>
        <source>%1: SCPI %2:%3: %4</source>
        <translation>%1: SCPI %2:%3: %4</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1: no answer within %2 ms</source>
        <translation>%1: keine Antwort innerhalb von %2 ms</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: reply without line end (%2 bytes)</source>
        <translation>%1: Antwort ohne Zeilenende (%2 Bytes)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1: %2 answered &quot;%3&quot;, not a reading of %4</source>
        <translation>%1: %2 antwortete „%3“, kein Messwert von %4</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: *IDN? answered &quot;%2&quot;, not an SCPI identity</source>
        <translation>%1: *IDN? lieferte „%2“, keine SCPI-Identität</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: unparseable reply &quot;%2&quot; to %3</source>
        <translation>%1: nicht auswertbare Antwort „%2“ auf %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: unparseable reply &quot;%2&quot; to SYST:ERR?</source>
        <translation>%1: nicht auswertbare Antwort „%2“ auf SYST:ERR?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: instrument error %2, &quot;%3&quot;</source>
        <translation>%1: Instrumentfehler %2, „%3“</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>alabos::SignInDialog</name>
    <message>
        <location filename="../ui/signindialog.cpp" line="+21"/>
        <source>New password:</source>
        <translation>Neues Passwort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeat it:</source>
        <translation>Wiederholen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+76"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+65"/>
        <source>Sign in to alabos</source>
        <translation>Bei alabos anmelden</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>User name:</source>
        <translation>Benutzername:</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change my password</source>
        <translation>Mein Passwort ändern</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Set up alabos</source>
        <translation>alabos einrichten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This lab&apos;s database is new: choose the password of the administrator account &quot;admin&quot; (at least %1 characters). Keep it safe: it manages the users of this lab.</source>
        <translation>Die Datenbank dieses Labors ist neu: wählen Sie das Passwort des Administratorkontos &quot;admin&quot; (mindestens %1 Zeichen). Bewahren Sie es sicher auf: es verwaltet die Benutzer dieses Labors.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Set password and sign in</source>
        <translation>Passwort setzen und anmelden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign in with another account</source>
        <translation>Mit einem anderen Konto anmelden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sign in to control the lab. The administrator &quot;admin&quot; has no password yet and cannot sign in until one is chosen.</source>
        <translation>Melden Sie sich an, um das Labor zu steuern. Der Administrator &quot;admin&quot; hat noch kein Passwort und kann sich erst anmelden, wenn eines gewählt ist.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Sign in to control the lab. Without signing in, the console only shows.</source>
        <translation>Melden Sie sich an, um das Labor zu steuern. Ohne Anmeldung ist nur die Anzeige möglich.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Saving the administrator&apos;s password…</source>
        <translation>Das Passwort des Administrators wird gespeichert…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Signing in is not possible here.</source>
        <translation>Anmelden ist hier nicht möglich.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The two new passwords differ.</source>
        <translation>Die beiden neuen Passwörter unterscheiden sich.</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Enter your user name.</source>
        <translation>Geben Sie Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
</context>
<context>
    <name>alabos::SignatureAuthority</name>
    <message>
        <location filename="../core/security/signatures.cpp" line="+55"/>
        <source>args.kinds must be an array of command kinds</source>
        <translation>args.kinds muss ein Array von Befehlsarten sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>args.reasons must be an array of texts</source>
        <translation>args.reasons muss ein Array von Texten sein</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>args.kinds: &quot;%1&quot; is not a command kind</source>
        <translation>args.kinds: „%1“ ist keine Befehlsart</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>args.kinds: %1 cannot be signed: it changes nothing and leaves no record to sign</source>
        <translation>args.kinds: %1 kann nicht unterschrieben werden: es ändert nichts und hinterlässt keinen Datensatz, der die Unterschrift trägt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>args.reasons has %1 reasons; at most %2 are accepted</source>
        <translation>args.reasons hat %1 Gründe; höchstens %2 sind zulässig</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>args.reasons[%1] must be a non-empty text</source>
        <translation>args.reasons[%1] muss ein nicht leerer Text sein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>args.reasons[%1] is %2 characters long; a reason may have at most %3</source>
        <translation>args.reasons[%1] ist %2 Zeichen lang; ein Grund darf höchstens %3 haben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>args.reasons[%1] may not start or end with spaces or hold a control character</source>
        <translation>args.reasons[%1] darf nicht mit Leerzeichen beginnen oder enden und kein Steuerzeichen enthalten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>args.reasons[%1]: &quot;%2&quot; is listed twice</source>
        <translation>args.reasons[%1]: „%2“ ist doppelt aufgeführt</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>args.reasons must list at least one reason while a command kind needs a signature</source>
        <translation>args.reasons muss mindestens einen Grund nennen, solange eine Befehlsart eine Unterschrift erfordert</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>the signature needs your password</source>
        <translation>die Unterschrift erfordert Ihr Passwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the signature needs a reason</source>
        <translation>die Unterschrift erfordert einen Grund</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the signature&apos;s reason is %1 characters long; at most %2 are accepted</source>
        <translation>der Grund der Unterschrift ist %1 Zeichen lang; höchstens %2 sind zulässig</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the signature&apos;s reason &quot;%1&quot; is not one of the configured reasons</source>
        <translation>der Grund „%1“ der Unterschrift ist keiner der eingerichteten Gründe</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the signature&apos;s comment is %1 characters long; at most %2 are accepted</source>
        <translation>der Kommentar der Unterschrift ist %1 Zeichen lang; höchstens %2 sind zulässig</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the signature&apos;s comment holds a control character</source>
        <translation>der Kommentar der Unterschrift enthält ein Steuerzeichen</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 refused: it needs an electronic signature (your password and a reason)</source>
        <translation>%1 abgelehnt: eine elektronische Unterschrift ist erforderlich (Ihr Passwort und ein Grund)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 refused: the signature is not by %2, who sent the command</source>
        <translation>%1 abgelehnt: die Unterschrift stammt nicht von %2, der den Befehl gesendet hat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 refused: the signature was not made for this command</source>
        <translation>%1 abgelehnt: die Unterschrift wurde nicht für diesen Befehl geleistet</translation>
    </message>
</context>
<context>
    <name>alabos::SignatureDialog</name>
    <message>
        <location filename="../ui/signaturedialog.cpp" line="+23"/>
        <source>Sign</source>
        <translation>Unterschreiben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Electronic signature</source>
        <translation>Elektronische Unterschrift</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&lt;b&gt;%1&lt;/b&gt; needs your electronic signature. By signing you, %2, confirm this action with the meaning you choose below; your signature is stored with it in the audit trail.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; erfordert Ihre elektronische Unterschrift. Mit Ihrer Unterschrift bestätigen Sie, %2, diese Aktion mit der unten gewählten Bedeutung; Ihre Unterschrift wird mit ihr im Prüfprotokoll gespeichert.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Meaning of the signature</source>
        <translation>Bedeutung der Unterschrift</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Optional, at most %1 characters</source>
        <translation>Optional, höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Signed by:</source>
        <translation>Unterschrieben von:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Meaning:</source>
        <translation>&amp;Bedeutung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Comment:</source>
        <translation>&amp;Kommentar:</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No reasons are configured: ask an administrator (Lab → Electronic signatures…).</source>
        <translation>Es sind keine Gründe eingerichtet: Wenden Sie sich an einen Administrator (Labor → Elektronische Unterschriften…).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The comment has %1 characters; at most %2 are accepted.</source>
        <translation>Der Kommentar hat %1 Zeichen; höchstens %2 sind zulässig.</translation>
    </message>
</context>
<context>
    <name>alabos::SignaturePolicyDialog</name>
    <message>
        <location line="+30"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Electronic signatures</source>
        <translation>Elektronische Unterschriften</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Commands that need a signature</source>
        <translation>Befehle, die eine Unterschrift erfordern</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reasons a signer chooses from</source>
        <translation>Gründe zur Auswahl für Unterschreibende</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New reason</source>
        <translation>Neuer Grund</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A new reason, at most %1 characters</source>
        <translation>Ein neuer Grund, höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add reason</source>
        <translation>Grund &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Remove reason</source>
        <translation>Grund &amp;entfernen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Up</source>
        <translation>&amp;Nach oben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move the reason up</source>
        <translation>Grund nach oben verschieben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move the reason down</source>
        <translation>Grund nach unten verschieben</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Commands that need a signature:</source>
        <translation>&amp;Befehle, die eine Unterschrift erfordern:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>R&amp;easons (the meaning a signer chooses):</source>
        <translation>Gr&amp;ünde (die Bedeutung, die Unterschreibende wählen):</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Only a user with the permission &quot;%1&quot; may change this.</source>
        <translation>Nur Benutzer mit der Berechtigung „%1“ dürfen dies ändern.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;%1&quot; is listed already.</source>
        <translation>„%1“ ist bereits aufgeführt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>At most %1 reasons may be configured.</source>
        <translation>Höchstens %1 Gründe können eingerichtet werden.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Saving…</source>
        <translation>Speichern…</translation>
    </message>
</context>
<context>
    <name>alabos::SimulatedDevice</name>
    <message>
        <location filename="../core/drivers/simulateddevice.cpp" line="+115"/>
        <source>%1: communication lost</source>
        <translation>%1: Verbindung verloren</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>Report the device&apos;s state</source>
        <translation>Status des Geräts melden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot create the device state directory %1</source>
        <translation>das Statusverzeichnis der Geräte %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>unreadable state file %1</source>
        <translation>nicht lesbare Statusdatei %1</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>%1: no answer (communication lost)</source>
        <translation>%1: keine Antwort (Verbindung verloren)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: no answer (link still down)</source>
        <translation>%1: keine Antwort (Verbindung weiterhin unterbrochen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: simulated %2</source>
        <translation>%1: simuliert als %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1: %2: %3</source>
        <translation>%1: %2: %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: parameter &quot;duration_s&quot; must be a number &gt;= 0</source>
        <translation>%1: Parameter „duration_s“ muss eine Zahl &gt;= 0 sein</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: simulated failure of command %2</source>
        <translation>%1: simulierter Fehler bei Befehl %2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: unparseable reply &quot;#?ERR&quot;</source>
        <translation>%1: nicht auswertbare Antwort „#?ERR“</translation>
    </message>
</context>
<context>
    <name>alabos::StateFeed</name>
    <message>
        <location filename="../core/bus/statefeed.cpp" line="+32"/>
        <source>%1 [%2]: offset out of range: the broker&apos;s topics were re-created</source>
        <translation>%1 [%2]: Offset außerhalb des Bereichs: die Topics des Brokers wurden neu angelegt</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Could not load the lab snapshot: %1</source>
        <translation>Der Snapshot des Labors konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <location line="+127"/>
        <source>%1 [%2]: the broker that answered after every broker went down does not hold at offset %3 the message this console read there</source>
        <translation>%1 [%2]: der Broker, der nach dem Ausfall aller Broker antwortete, hält an Offset %3 nicht die Nachricht, die diese Konsole dort gelesen hat</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 [%2]: offset %3 after %4: the broker&apos;s topics were re-created</source>
        <translation>%1 [%2]: Offset %3 nach %4: die Topics des Brokers wurden neu angelegt</translation>
    </message>
    <message>
        <location line="+49"/>
        <location line="+116"/>
        <source>a state event the scheduler did not sign: not shown</source>
        <translation>ein Zustandsereignis, das der Scheduler nicht signiert hat: nicht gezeigt</translation>
    </message>
    <message>
        <location line="-50"/>
        <source>a digest list the scheduler did not sign: ignored</source>
        <translation>eine Digest-Liste, die der Scheduler nicht signiert hat: ignoriert</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>cannot read the state topics again after every broker went down: %1</source>
        <translation>die Zustands-Topics können nach dem Ausfall aller Broker nicht erneut gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>unknown entity type &quot;%1&quot;</source>
        <translation>unbekannter Entitätstyp „%1“</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>event %1 (%2): %3</source>
        <translation>Ereignis %1 (%2): %3</translation>
    </message>
</context>
<context>
    <name>alabos::StorageWriter</name>
    <message>
        <location filename="../core/storage/storagewriter.cpp" line="+44"/>
        <source>another scheduler took over this lab (the leader epoch is no longer %1); this one commits nothing more</source>
        <translation>ein anderer Scheduler hat dieses Labor übernommen (die Leader-Epoche ist nicht mehr %1); dieser schreibt nichts mehr fest</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Database connected</source>
        <translation>Datenbank verbunden</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Database unreachable: %1</source>
        <translation>Datenbank nicht erreichbar: %1</translation>
    </message>
</context>
<context>
    <name>alabos::TaskTableModel</name>
    <message>
        <location filename="../ui/tasktablemodel.cpp" line="+70"/>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Workflow</source>
        <translation>Arbeitsablauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Needs</source>
        <translation>Benötigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>alabos::TasksPanel</name>
    <message>
        <location filename="../ui/taskspanel.cpp" line="+68"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hold</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Release</source>
        <translation>Freigeben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority…</source>
        <translation>Priorität…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Task queue</source>
        <translation>Aufgabenwarteschlange</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All tasks</source>
        <translation>Alle Aufgaben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Filter tasks</source>
        <translation>Aufgaben filtern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task status</source>
        <translation>Aufgabenstatus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by step, device, message; wf:ID for one workflow…</source>
        <translation>Nach Schritt, Gerät, Meldung filtern; wf:ID für einen Arbeitsablauf…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancel the selected tasks; a running task is stopped on its device</source>
        <translation>Ausgewählte Aufgaben abbrechen; eine laufende Aufgabe wird auf ihrem Gerät gestoppt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue the selected failed tasks again</source>
        <translation>Ausgewählte fehlgeschlagene Aufgaben erneut einreihen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the selected tasks from starting until released</source>
        <translation>Ausgewählte Aufgaben erst nach Freigabe starten lassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Let held tasks start again</source>
        <translation>Angehaltene Aufgaben wieder starten lassen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel tasks</source>
        <translation>Aufgaben abbrechen</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Cancel %n task(s)? Tasks that depend on them are cancelled too.</source>
        <translation>
            <numerusform>%n Aufgabe abbrechen? Davon abhängige Aufgaben werden ebenfalls abgebrochen.</numerusform>
            <numerusform>%n Aufgaben abbrechen? Davon abhängige Aufgaben werden ebenfalls abgebrochen.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Your role may not change tasks</source>
        <translation>Ihre Rolle darf keine Aufgaben ändern</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Low (25)</source>
        <translation>Niedrig (25)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Normal (50)</source>
        <translation>Normal (50)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>High (75)</source>
        <translation>Hoch (75)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Urgent (100)</source>
        <translation>Dringend (100)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change priority</source>
        <translation>Priorität ändern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New priority for the selected tasks:</source>
        <translation>Neue Priorität für die ausgewählten Aufgaben:</translation>
    </message>
</context>
<context>
    <name>alabos::TelemetryPersister</name>
    <message>
        <location filename="../core/bus/telemetrypersister.cpp" line="+102"/>
        <source>Telemetry persister cannot read its offsets from PostgreSQL: %1</source>
        <translation>Die Telemetriespeicherung kann ihre Offsets nicht aus PostgreSQL lesen: %1</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>the broker dropped them before they were persisted (next offset %1, oldest kept %2)</source>
        <translation>der Broker hat sie verworfen, bevor sie gespeichert wurden (nächster Offset %1, ältester vorhandener %2)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>stored telemetry offset %1 of partition %2 lies beyond the partition&apos;s end %3: was the topic recreated? Persisting it needs a new consumer name.</source>
        <translation>gespeicherter Telemetrie-Offset %1 von Partition %2 liegt hinter dem Partitionsende %3: Wurde das Topic neu angelegt? Zum Speichern ist ein neuer Consumer-Name nötig.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 telemetry readings of partition %2 were lost: %3</source>
        <translation>%1 Telemetrie-Messwerte von Partition %2 gingen verloren: %3</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>the persister fell behind the broker&apos;s retention (next offset %1, oldest kept %2)</source>
        <translation>die Telemetriespeicherung ist hinter die Aufbewahrungsfrist des Brokers zurückgefallen (nächster Offset %1, ältester vorhandener %2)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>offsets %1 to %2 were not on the broker any more</source>
        <translation>die Offsets %1 bis %2 waren nicht mehr auf dem Broker</translation>
    </message>
    <message>
        <location line="+215"/>
        <source>Telemetry could not be written to PostgreSQL: %1</source>
        <translation>Telemetrie konnte nicht in PostgreSQL geschrieben werden: %1</translation>
    </message>
    <message>
        <location line="-139"/>
        <source>Kafka consumer: %1</source>
        <translation>Kafka-Consumer: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Kafka subscribe to %1: %2</source>
        <translation>Kafka-Abonnement (subscribe) von %1: %2</translation>
    </message>
</context>
<context>
    <name>alabos::TelemetryPublisher</name>
    <message>
        <location filename="../core/bus/telemetrypublisher.cpp" line="+58"/>
        <source>the telemetry queue is full (%1 readings wait for Kafka)</source>
        <translation>die Telemetriewarteschlange ist voll (%1 Messwerte warten auf Kafka)</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>The telemetry persister has caught up with the embedded broker; devices send telemetry at their own rate again</source>
        <translation>Die Telemetriespeicherung hat den eingebetteten Broker eingeholt; die Geräte senden ihre Telemetrie wieder in ihrem eigenen Takt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Telemetry flows to Kafka again; all %1 waiting readings delivered or on their way</source>
        <translation>Telemetrie fließt wieder zu Kafka; alle %1 wartenden Messwerte sind zugestellt oder unterwegs</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kafka has acknowledged no telemetry for %1 s; %2 readings wait in the local queue and devices slow their telemetry</source>
        <translation>Kafka hat seit %1 s keine Telemetrie bestätigt; %2 Messwerte warten in der lokalen Warteschlange, und die Geräte drosseln ihre Telemetrie</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The telemetry persister is %1 MB behind on %2, near the embedded broker&apos;s %3 MB window per partition; devices slow their telemetry so that nothing is dropped</source>
        <translation>Die Telemetriespeicherung liegt auf %2 %1 MB zurück, nahe am Fenster des eingebetteten Brokers von %3 MB je Partition; die Geräte drosseln ihre Telemetrie, damit nichts verworfen wird</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Telemetry queue past its high-water mark (%1 of %2 readings waiting); devices slow their telemetry</source>
        <translation>Telemetriewarteschlange über der Hochwassermarke (%1 von %2 Messwerten warten); die Geräte drosseln ihre Telemetrie</translation>
    </message>
</context>
<context>
    <name>alabos::Theme</name>
    <message>
        <location filename="../ui/theme.cpp" line="+131"/>
        <source>&amp;System</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Dark</source>
        <translation>&amp;Dunkel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;High contrast</source>
        <translation>Hoher &amp;Kontrast</translation>
    </message>
</context>
<context>
    <name>alabos::WorkflowEditor</name>
    <message>
        <location filename="../ui/workfloweditor.cpp" line="+21"/>
        <location line="+543"/>
        <source>Workflow editor</source>
        <translation>Arbeitsablauf-Editor</translation>
    </message>
    <message>
        <location line="-541"/>
        <location line="+545"/>
        <source>new-workflow</source>
        <translation>neuer-arbeitsablauf</translation>
    </message>
    <message>
        <location line="-482"/>
        <source>Workflow canvas</source>
        <translation>Arbeitsfläche des Arbeitsablaufs</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+913"/>
        <source>Move steps</source>
        <translation>Schritte verschieben</translation>
    </message>
    <message>
        <location line="-891"/>
        <source>Template name</source>
        <translation>Name der Vorlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Template name:</source>
        <translation>&amp;Name der Vorlage:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Step name</source>
        <translation>Name des Schritts</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Device type</source>
        <translation>Gerätetyp</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+43"/>
        <location line="+66"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>Expected duration</source>
        <translation>Erwartete Dauer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Runs after</source>
        <translation>Läuft nach</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tick the steps this step waits for (Space toggles)</source>
        <translation>Die Schritte ankreuzen, auf die dieser Schritt wartet (Leertaste schaltet um)</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>Parameter schema (JSON)</source>
        <translation>Parameterschema (JSON)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{&quot;temperature_c&quot;: {&quot;type&quot;: &quot;number&quot;, &quot;unit&quot;: &quot;C&quot;, &quot;min&quot;: 100, &quot;max&quot;: 1500, &quot;default&quot;: 900}}</source>
        <translation>{&quot;temperature_c&quot;: {&quot;type&quot;: &quot;number&quot;, &quot;unit&quot;: &quot;C&quot;, &quot;min&quot;: 100, &quot;max&quot;: 1500, &quot;default&quot;: 900}}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A&amp;pply schema</source>
        <translation>Schema &amp;anwenden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Apply fi&amp;xed parameters</source>
        <translation>Feste Parameter an&amp;wenden</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Device type:</source>
        <translation>&amp;Gerätetyp:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Command:</source>
        <translation>&amp;Befehl:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uration:</source>
        <translation>&amp;Dauer:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs &amp;after:</source>
        <translation>Läuft &amp;nach:</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Parameter &amp;schema:</source>
        <translation>Parameter&amp;schema:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>%1: %2 characters; at most %3</source>
        <translation>%1: %2 Zeichen; höchstens %3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: not a JSON object (%2)</source>
        <translation>%1: kein JSON-Objekt (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an object</source>
        <translation>kein Objekt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Parameter schema</source>
        <translation>Parameterschema</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fixed parameters</source>
        <translation>Feste Parameter</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <location line="-449"/>
        <source>Step types</source>
        <translation>Schritttypen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Drag a device type or the operator prompt onto the canvas, or press Enter to add a step</source>
        <translation>Ziehen Sie einen Gerätetyp oder die Rückfrage an den Bediener auf die Arbeitsfläche oder drücken Sie die Eingabetaste, um einen Schritt hinzuzufügen</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>any of the type</source>
        <translation>ein beliebiges dieses Typs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pins the step to one device by its name (at most %1 characters); empty: whichever device of the type is free first</source>
        <translation>Bindet den Schritt an ein Gerät, angegeben mit seinem Namen (höchstens %1 Zeichen); leer: das Gerät dieses Typs, das zuerst frei ist</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Prompt message</source>
        <translation>Text der Rückfrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What the operator is asked; required, at most %1 characters</source>
        <translation>Was der Bediener gefragt wird; erforderlich, höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Prompt answers</source>
        <translation>Antworten der Rückfrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The answers the operator chooses from; at least one, each 1 to %1 characters (F2 edits one)</source>
        <translation>Die Antworten, aus denen der Bediener wählt; mindestens eine, jede 1 bis %1 Zeichen (F2 bearbeitet eine)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Add ans&amp;wer</source>
        <translation>Ant&amp;wort hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove answer</source>
        <translation>Antwort entfernen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Prompt timeout</source>
        <translation>Zeitlimit der Rückfrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unanswered for this long, the step fails; 0 waits for ever; at most %1 s (a day)</source>
        <translation>So lange unbeantwortet, schlägt der Schritt fehl; 0 wartet unbegrenzt; höchstens %1 s (ein Tag)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Resources</source>
        <translation>Ressourcen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Further devices (by type or by name) and exact sample positions the step holds while it runs, all granted together; each name at most %1 characters (F2 edits one)</source>
        <translation>Weitere Geräte (nach Typ oder Name) und genaue Probenpositionen, die der Schritt belegt, solange er läuft, alle zusammen zugeteilt; jeder Name höchstens %1 Zeichen (F2 bearbeitet einen)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Kind of resource to add</source>
        <translation>Art der hinzuzufügenden Ressource</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add res&amp;ource</source>
        <translation>Ress&amp;ource hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove resource</source>
        <translation>Ressource entfernen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Positions under</source>
        <translation>Positionen unter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>parent, e.g. rack</source>
        <translation>übergeordnete Position, z. B. rack</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any free positions under this parent (at most %1 characters); empty: none</source>
        <translation>Beliebige freie Positionen unter dieser übergeordneten Position (höchstens %1 Zeichen); leer: keine</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>× </source>
        <translation>× </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number of positions</source>
        <translation>Anzahl der Positionen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many positions under the parent; at least 1</source>
        <translation>Wie viele Positionen unter der übergeordneten Position; mindestens 1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Timeout</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How long the device may take before the step fails; 0: three times the expected duration plus 30 s; at most %1 s (a day)</source>
        <translation>Wie lange das Gerät brauchen darf, bevor der Schritt fehlschlägt; 0: dreimal die erwartete Dauer plus 30 s; höchstens %1 s (ein Tag)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cleanup command</source>
        <translation>Befehl des Aufräumschritts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The command sent to the same device after the step is cancelled while running; empty: none; at most %1 characters</source>
        <translation>Der Befehl, der an dasselbe Gerät geht, nachdem der Schritt während des Laufs abgebrochen wurde; leer: keiner; höchstens %1 Zeichen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re-run a&amp;fter a restart</source>
        <translation>Nach einem Neustart erneut aus&amp;führen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re-run safe</source>
        <translation>Erneut ausführbar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ticked: a step interrupted by a restart runs again. Unticked: an operator decides</source>
        <translation>Angehakt: Ein durch einen Neustart unterbrochener Schritt läuft erneut. Nicht angehakt: Ein Bediener entscheidet</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Fixed parameters (JSON)</source>
        <translation>Feste Parameter (JSON)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Parameters sent with every run of the step, whatever the submission says (a JSON object, at most %1 characters); submitted values come from the schema above</source>
        <translation>Parameter, die bei jeder Ausführung des Schritts gesendet werden, unabhängig von der Einreichung (ein JSON-Objekt, höchstens %1 Zeichen); eingereichte Werte folgen dem Schema darüber</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{&quot;mode&quot;: &quot;scan&quot;}</source>
        <translation>{&quot;mode&quot;: &quot;scan&quot;}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>De&amp;vice:</source>
        <translation>Ge&amp;rät:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Message:</source>
        <translation>&amp;Meldung:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Answers:</source>
        <translation>Antworten:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Answer wit&amp;hin:</source>
        <translation>Antwort inner&amp;halb:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resources:</source>
        <translation>Ressourcen:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Positions und&amp;er:</source>
        <translation>Positionen unt&amp;er:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;imeout:</source>
        <translation>Zeitl&amp;imit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;leanup:</source>
        <translation>Aufräums&amp;chritt:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fixed parameters:</source>
        <translation>Feste Parameter:</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>answer %1</source>
        <translation>Antwort %1</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Step t&amp;ypes</source>
        <translation>Schritt&amp;typen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>P&amp;roblems</source>
        <translation>P&amp;robleme</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Open JSON…</source>
        <translation>JSON ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open workflow template</source>
        <translation>Arbeitsablaufvorlage öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workflow templates (*.json);;All files (*)</source>
        <translation>Arbeitsablaufvorlagen (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Export JSON…</source>
        <translation>JSON &amp;exportieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export workflow template</source>
        <translation>Arbeitsablaufvorlage exportieren</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Workflow templates (*.json)</source>
        <translation>Arbeitsablaufvorlagen (*.json)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Save as template</source>
        <translation>Als Vorlage &amp;speichern</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Arrange</source>
        <translation>&amp;Anordnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arrange</source>
        <translation>Anordnen</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Open template</source>
        <translation>Vorlage öffnen</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Add step %1</source>
        <translation>Schritt %1 hinzufügen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Add operator prompt</source>
        <translation>Rückfrage an den Bediener hinzufügen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>Delete %n step(s)</source>
        <translation>
            <numerusform>%n Schritt löschen</numerusform>
            <numerusform>%n Schritte löschen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Connect %1 → %2</source>
        <translation>%1 → %2 verbinden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Disconnect %1 → %2</source>
        <translation>Verbindung %1 → %2 lösen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Move %1</source>
        <translation>%1 verschieben</translation>
    </message>
    <message>
        <location line="+26"/>
        <location line="+24"/>
        <source>Change %1 of %2</source>
        <translation>%1 von %2 ändern</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Rename template</source>
        <translation>Vorlage umbenennen</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>No problems: the template can be saved</source>
        <translation>Keine Probleme: Die Vorlage kann gespeichert werden</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Workflow editor — %1 (%n step(s))</source>
        <translation>
            <numerusform>Arbeitsablauf-Editor — %1 (%n Schritt)</numerusform>
            <numerusform>Arbeitsablauf-Editor — %1 (%n Schritte)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n problem(s) must be fixed before saving</source>
        <translation>
            <numerusform>%n Problem muss vor dem Speichern behoben werden</numerusform>
            <numerusform>%n Probleme müssen vor dem Speichern behoben werden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as a run-time template the lab can run (Ctrl+S)</source>
        <translation>Als Laufzeitvorlage speichern, die das Labor ausführen kann (Strg+S)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>operator</source>
        <translation>Bediener</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 asks an operator: %2</source>
        <translation>%1 fragt einen Bediener: %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 on a %2, about %3 s</source>
        <translation>%1 auf einem Gerät vom Typ %2, etwa %3 s</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>%1 runs after %2</source>
        <translation>%1 läuft nach %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step (select one)</source>
        <translation>Schritt (einen auswählen)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>none: the prompt holds no device</source>
        <translation>keiner: Die Rückfrage belegt kein Gerät</translation>
    </message>
    <message>
        <location line="+216"/>
        <source>Operator prompt</source>
        <translation>Rückfrage an den Bediener</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A step that asks an operator and waits for one of its answers</source>
        <translation>Ein Schritt, der einen Bediener fragt und auf eine seiner Antworten wartet</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (none in this lab)</source>
        <translation>%1 (keines in diesem Labor)</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n device(s) of this type</source>
        <translation>
            <numerusform>%n Gerät dieses Typs</numerusform>
            <numerusform>%n Geräte dieses Typs</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No device of this type is configured; a step needing one cannot be saved</source>
        <translation>Kein Gerät dieses Typs ist konfiguriert; ein Schritt, der eines braucht, kann nicht gespeichert werden</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Your role (%1) may not add workflow templates</source>
        <translation>Ihre Rolle (%1) darf keine Arbeitsablaufvorlagen hinzufügen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log in to add workflow templates</source>
        <translation>Melden Sie sich an, um Arbeitsablaufvorlagen hinzuzufügen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is %2 MB; a workflow template is a few kilobytes</source>
        <translation>%1 ist %2 MB groß; eine Arbeitsablaufvorlage hat wenige Kilobyte</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 is not valid JSON: %2 at byte %3</source>
        <translation>%1 ist kein gültiges JSON: %2 bei Byte %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: a workflow template is a JSON object with &quot;name&quot; and &quot;tasks&quot;</source>
        <translation>%1: Eine Arbeitsablaufvorlage ist ein JSON-Objekt mit „name“ und „tasks“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Exported to %1</source>
        <translation>Nach %1 exportiert</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Not saved: fix the %n problem(s) marked in red first</source>
        <translation>
            <numerusform>Nicht gespeichert: Beheben Sie zuerst das rot markierte Problem</numerusform>
            <numerusform>Nicht gespeichert: Beheben Sie zuerst die %n rot markierten Probleme</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Not saved: your role may not add workflow templates</source>
        <translation>Nicht gespeichert: Ihre Rolle darf keine Arbeitsablaufvorlagen hinzufügen</translation>
    </message>
</context>
<context>
    <name>alabos::WorkflowTableModel</name>
    <message>
        <location filename="../ui/labmodels.cpp" line="+35"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 steps</source>
        <translation>%1 von %2 Schritten</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Workflow</source>
        <translation>Arbeitsablauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Template</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Samples</source>
        <translation>Proben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
</context>
<context>
    <name>alabos::WorkflowsPanel</name>
    <message>
        <location filename="../ui/workflowspanel.cpp" line="+55"/>
        <source>Add selected samples</source>
        <translation>Ausgewählte Proben hinzufügen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Submit workflow</source>
        <translation>Arbeitsablauf einreichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import template…</source>
        <translation>Vorlage importieren…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Workflow templates</source>
        <translation>Arbeitsablaufvorlagen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sample barcodes</source>
        <translation>Barcodes der Proben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Barcodes, one per line (or separated by commas)</source>
        <translation>Barcodes, einer pro Zeile (oder durch Kommas getrennt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low (25)</source>
        <translation>Niedrig (25)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal (50)</source>
        <translation>Normal (50)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High (75)</source>
        <translation>Hoch (75)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Urgent (100)</source>
        <translation>Dringend (100)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open the selected template in the workflow editor</source>
        <translation>Die ausgewählte Vorlage im Arbeitsablauf-Editor öffnen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Workflows</source>
        <translation>Arbeitsabläufe</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Import workflow template</source>
        <translation>Arbeitsablaufvorlage importieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workflow templates (*.json);;All files (*)</source>
        <translation>Arbeitsablaufvorlagen (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Samples:</source>
        <translation>Proben:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Priority:</source>
        <translation>Priorität:</translation>
    </message>
    <message numerus="yes">
        <location line="+48"/>
        <source>%1 (%n step(s))</source>
        <translation>
            <numerusform>%1 (%n Schritt)</numerusform>
            <numerusform>%1 (%n Schritte)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No workflow templates: this console is not attached to a lab engine</source>
        <translation>Keine Arbeitsablaufvorlagen: Diese Konsole ist mit keiner Engine verbunden</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>This template&apos;s steps take no parameters.</source>
        <translation>Die Schritte dieser Vorlage haben keine Parameter.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Start the selected template for these samples</source>
        <translation>Die ausgewählte Vorlage für diese Proben starten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your role (%1) may not submit workflows</source>
        <translation>Ihre Rolle (%1) darf keine Arbeitsabläufe einreichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in to submit workflows</source>
        <translation>Melden Sie sich an, um Arbeitsabläufe einzureichen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add a workflow template from a JSON file; the lab can run it at once</source>
        <translation>Eine Arbeitsablaufvorlage aus einer JSON-Datei hinzufügen; das Labor kann sie sofort ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your role (%1) may not add workflow templates</source>
        <translation>Ihre Rolle (%1) darf keine Arbeitsablaufvorlagen hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in to add workflow templates</source>
        <translation>Melden Sie sich an, um Arbeitsablaufvorlagen hinzuzufügen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Template not imported</source>
        <translation>Vorlage nicht importiert</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is %2 MB; a workflow template is a few kilobytes</source>
        <translation>%1 ist %2 MB groß; eine Arbeitsablaufvorlage hat wenige Kilobyte</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not valid JSON: %2 at byte %3</source>
        <translation>%1 ist kein gültiges JSON: %2 bei Byte %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: a workflow template is a JSON object with &quot;name&quot; and &quot;tasks&quot;</source>
        <translation>%1: Eine Arbeitsablaufvorlage ist ein JSON-Objekt mit „name“ und „tasks“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Importing %1…</source>
        <translation>%1 wird importiert…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Add at least one sample barcode</source>
        <translation>Fügen Sie mindestens einen Proben-Barcode hinzu</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>Fix the %n marked parameter(s)</source>
        <translation>
            <numerusform>Korrigieren Sie %n markierten Parameter</numerusform>
            <numerusform>Korrigieren Sie die %n markierten Parameter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+8"/>
        <source>Submitting %1 for %n sample(s)…</source>
        <translation>
            <numerusform>%1 wird für %n Probe eingereicht…</numerusform>
            <numerusform>%1 wird für %n Proben eingereicht…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Submitted</source>
        <translation>Eingereicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>alabos::api</name>
    <message>
        <location filename="../app/apidatabase.cpp" line="+62"/>
        <source>alabos is stopping</source>
        <translation>alabos wird beendet</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>the database cannot be reached: %1</source>
        <translation>die Datenbank ist nicht erreichbar: %1</translation>
    </message>
    <message>
        <location filename="../core/api/httpserver.cpp" line="+172"/>
        <source>the request was dropped without an answer</source>
        <translation>die Anfrage wurde ohne Antwort verworfen</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>too many connections (at most %1)</source>
        <translation>zu viele Verbindungen (höchstens %1)</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>the request&apos;s headers exceed %1 bytes</source>
        <translation>die Kopfzeilen der Anfrage überschreiten %1 Bytes</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the body is %1 bytes; the limit is %2</source>
        <translation>der Rumpf hat %1 Bytes; die Grenze ist %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>more than the limit</source>
        <translation>mehr als die Grenze</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>malformed HTTP request: %1</source>
        <translation>fehlerhafte HTTP-Anfrage: %1</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>the request&apos;s path is not a valid percent-encoded path</source>
        <translation>der Pfad der Anfrage ist kein gültig prozentkodierter Pfad</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>&quot;%1&quot; is not HOST:PORT</source>
        <translation>&quot;%1&quot; ist nicht HOST:PORT</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the TLS certificate %1 or key %2 cannot be used: %3</source>
        <translation>das TLS-Zertifikat %1 oder der Schlüssel %2 ist nicht verwendbar: %3</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 does not resolve</source>
        <translation>%1 lässt sich nicht auflösen</translation>
    </message>
    <message>
        <location filename="../core/api/jsonschema.cpp" line="+49"/>
        <source>must be a string, not %1</source>
        <translation>muss eine Zeichenkette sein, nicht %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>has %1 characters; at most %2 are allowed</source>
        <translation>hat %1 Zeichen; höchstens %2 sind erlaubt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&quot;%1&quot; is not one of: %2</source>
        <translation>&quot;%1&quot; ist keiner von: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>must be a number, not %1</source>
        <translation>muss eine Zahl sein, nicht %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>must be a finite number</source>
        <translation>muss eine endliche Zahl sein</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>must be a whole number</source>
        <translation>muss eine ganze Zahl sein</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is below the minimum %2</source>
        <translation>%1 liegt unter dem Minimum %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is above the maximum %2</source>
        <translation>%1 liegt über dem Maximum %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>must be true or false, not %1</source>
        <translation>muss true oder false sein, nicht %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>must be an array, not %1</source>
        <translation>muss ein Array sein, nicht %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+24"/>
        <source>has %1 entries; at most %2 are allowed</source>
        <translation>hat %1 Einträge; höchstens %2 sind erlaubt</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>needs at least %1 entries</source>
        <translation>braucht mindestens %1 Einträge</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>must be an object, not %1</source>
        <translation>muss ein Objekt sein, nicht %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>is required</source>
        <translation>ist erforderlich</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>is not a known field (known: %1)</source>
        <translation>ist kein bekanntes Feld (bekannt: %1)</translation>
    </message>
    <message>
        <location filename="../core/api/router.cpp" line="+280"/>
        <source>%1 is not allowed here; allowed: %2</source>
        <translation>%1 ist hier nicht erlaubt; erlaubt: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>no such route: %1</source>
        <translation>keine solche Route: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has %2 characters; at most %3 are allowed</source>
        <translation>%1 hat %2 Zeichen; höchstens %3 sind erlaubt</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 holds a control character</source>
        <translation>%1 enthält ein Steuerzeichen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>this route needs an API token: send &quot;Authorization: Bearer TOKEN&quot; (create one in the console under File &gt; API tokens)</source>
        <translation>diese Route braucht ein API-Token: &quot;Authorization: Bearer TOKEN&quot; senden (eines in der Konsole unter Datei &gt; API-Tokens anlegen)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>too many requests from this address</source>
        <translation>zu viele Anfragen von dieser Adresse</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>more than %1 requests a second (burst %2) with this token; retry later</source>
        <translation>mehr als %1 Anfragen je Sekunde (Stoß %2) mit diesem Token; später erneut versuchen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>the role %1 of %2 does not allow %3</source>
        <translation>die Rolle %1 von %2 erlaubt %3 nicht</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the query has %1 bytes; at most %2 are allowed</source>
        <translation>die Abfrage hat %1 Bytes; höchstens %2 sind erlaubt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the query has %1 parameters; at most %2 are allowed</source>
        <translation>die Abfrage hat %1 Parameter; höchstens %2 sind erlaubt</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>unknown query parameter &quot;%1&quot; (known: %2)</source>
        <translation>unbekannter Abfrageparameter &quot;%1&quot; (bekannt: %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: &quot;%2&quot; is not a number</source>
        <translation>%1: &quot;%2&quot; ist keine Zahl</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 must be true or false</source>
        <translation>%1 muss true oder false sein</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 %2 takes no body</source>
        <translation>%1 %2 nimmt keinen Rumpf</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>send the body as JSON with &quot;Content-Type: application/json&quot;</source>
        <translation>den Rumpf als JSON mit &quot;Content-Type: application/json&quot; senden</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the body is not valid JSON: %1 at byte %2</source>
        <translation>der Rumpf ist kein gültiges JSON: %1 bei Byte %2</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>bad request</source>
        <translation>fehlerhafte Anfrage</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no valid token</source>
        <translation>kein gültiges Token</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the role does not allow it</source>
        <translation>die Rolle erlaubt es nicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>rate limited</source>
        <translation>Rate überschritten</translation>
    </message>
</context>
</TS>
