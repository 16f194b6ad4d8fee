<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>HistoryReport</name>
    <message numerus="yes">
        <source>Filter: %1 · %n call(s) · made %2</source>
        <translation>
            <numerusform>Filter: %1 · %n call · made %2</numerusform>
            <numerusform>Filter: %1 · %n calls · made %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hotline::ui::PeersPage</name>
    <message numerus="yes">
        <source>%n refused line-status probe(s)</source>
        <translation>
            <numerusform>%n refused line-status probe</numerusform>
            <numerusform>%n refused line-status probes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s ago</numerusform>
            <numerusform>%n s ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hotline::ui::AuditPage</name>
    <message numerus="yes">
        <source>Intact: %n entries, hash chain and signatures check.</source>
        <translation>
            <numerusform>Intact: %n entry, hash chain and signature check.</numerusform>
            <numerusform>Intact: %n entries, hash chain and signatures check.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not signed yet.</source>
        <translation>
            <numerusform>%n not signed yet.</numerusform>
            <numerusform>%n not signed yet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hotline::ui::HistoryPage</name>
    <message numerus="yes">
        <source>%n call(s) in the store cannot be opened with this passphrase (sealed before it was set, or changed in the file); they are not shown</source>
        <translation>
            <numerusform>%n call in the store cannot be opened with this passphrase (sealed before it was set, or changed in the file); it is not shown</numerusform>
            <numerusform>%n calls in the store cannot be opened with this passphrase (sealed before it was set, or changed in the file); they are not shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n call(s) match</source>
        <translation>
            <numerusform>%n call matches</numerusform>
            <numerusform>%n calls match</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n frame(s)</source>
        <translation>
            <numerusform>%n frame</numerusform>
            <numerusform>%n frames</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hotline::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n missed call(s) on %1</source>
        <translation>
            <numerusform>%n missed call on %1</numerusform>
            <numerusform>%n missed calls on %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Calls (%n missed)</source>
        <translation>
            <numerusform>Calls (%n missed)</numerusform>
            <numerusform>Calls (%n missed)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>hotline::ui::ScreenshotTour</name>
    <message numerus="yes">
        <source>%n screenshot(s) in %1</source>
        <translation>
            <numerusform>%n screenshot in %1</numerusform>
            <numerusform>%n screenshots in %1</numerusform>
        </translation>
    </message>
</context>
</TS>
