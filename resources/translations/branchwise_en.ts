<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <source>&amp;New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a plan file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the plan under a new name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Branchwise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut the selected subtree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the selected subtree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste a subtree under the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected subtree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a child to the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add &amp;sibling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a sibling after the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find nodes by label, owner or signpost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit the tree in the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Collapse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collapse the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expand the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Top to bottom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw the tree top to bottom instead of left to right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Rename track…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;move track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move track &amp;left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move track &amp;right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan se&amp;ttings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title, description, unit and objective of the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a &amp;decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected node becomes a decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a c&amp;hance node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected node becomes a chance node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a ter&amp;minal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected node becomes a terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Canvas, outline, inspector, then the open docks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous pane</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pane before this one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the &amp;canvas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From any panel back to the tree canvas (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s kind (decision, chance, terminal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Probability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s probability (a branch of a chance node)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pa&amp;yoff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s payoff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pat&amp;h (outcome)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s path: success, failure or neutral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Committed option</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s committed option (a decision)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Warning days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s warning time in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Signposts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s signposts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s responses (adds one when there is none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;robability range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s probability range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payo&amp;ff range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s payoff range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected node&apos;s variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Branchwise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Analysis</name>
    <message>
        <source>&amp;Analysis</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnalysisController</name>
    <message>
        <source>computing…</source>
        <extracomment>A raised analysis dock is made tall enough for its plot to get this share of the window&apos;s height ... ... as long as the dock takes no more than this share (the canvas stays usable).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ranged parameters: %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 iterations, seed %2: %3 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnalysisData</name>
    <message>
        <source>no parameter has a range to sweep</source>
        <extracomment>Ranged parameters left out because they cannot move this track (other tracks&apos; variables).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a policy map needs two different parameters with ranges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the track has no decision to map</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AudienceView</name>
    <message>
        <source>NO RESPONSE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PARTIAL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>READY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for this success</source>
        <extracomment>The tile of a branch&apos;s own readiness (only success and failure branches have one).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for this failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neutral path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probability %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EV %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branches: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audience view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot evaluate from here: %1</source>
        <extracomment>every line of text drawn in the last paint, with the area it had (for tests) node id -&gt; rectangle of its card in the last paint</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value from here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from here (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 from here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responses in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready for failures ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk ahead of a failure we are not ready for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chance of a failure path ahead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> %1 of combined value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (up to %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worth knowing before we decide: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready for failure ahead: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AudienceWindow</name>
    <message>
        <source>Branchwise — audience</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare with %1</source>
        <extracomment>A value the planner types; the deletion of a deleted-vs-changed subtree. Longest value shown in a cell (the tooltip holds the whole value).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This plan and %1 are the same.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 change from this plan to %1. Double-click a row to select its node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 changes from this plan to %2. Double-click a row to select its node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictBanner</name>
    <message>
        <source>Resolve conflicts…</source>
        <extracomment>Export format -&gt; (menu text, file-dialog filter, suffix), in menu order.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide until the next plan is opened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ This plan holds 1 unresolved merge conflict: ours is kept until you choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ This plan holds %1 unresolved merge conflicts: ours is kept at each until you choose.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConsoleView</name>
    <message>
        <source>Walk notes</source>
        <extracomment>the walk note of the current step was edited (its full text)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept in the walk log with the step they were written at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Questions, answers, decisions taken in the room…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(hidden)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End of this path: Backspace goes back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on this node</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportButton</name>
    <message>
        <source>Export</source>
        <extracomment>Longest tick label before it is cut with an ellipsis.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save this plot as a PNG or SVG picture, or its numbers as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Picture (PNG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vector picture (SVG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data (CSV)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG picture (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG picture (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <source>Open plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save plan</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileWatch</name>
    <message>
        <source>File changed on disk</source>
        <extracomment>Wait this long after the last change notice: a git checkout or an editor&apos;s save comes as several (write, rename, attribute change). the bytes this window last read from or wrote to ``path`` a changed version the user chose not to reload (not asked about again)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” changed on disk since you opened it (another editor, or a git pull).

Overwrite it with your version? The other changes would be lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is no longer on disk; Save writes it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept your version; %1 on disk is different (saving will ask)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” changed on disk (another editor, or a git pull).

Reload it?%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reload plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloaded %1 from disk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>&amp;Find:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finds nodes by label, response owner or signpost; Enter selects the next match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>label, owner or signpost — Enter for the next match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the find bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>Scenario planning with contingency trees: expected outcomes, readiness, signposts and a live walk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Plans are &lt;tt&gt;.bwplan&lt;/tt&gt; files (JSON); the same numbers are on the command line: &lt;tt&gt;branchwise evaluate PLAN&lt;/tt&gt;.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Branchwise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>Inspector</source>
        <extracomment>Inspector fields a keyboard user can jump to, in form order: (field, row label).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The fields of the selected node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ranges, notes, variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the option the planners have committed to; rollback follows it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one observable indicator per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payoff range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, low end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, high end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low and high must be numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low and high must be finite</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>low %1 is above high %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a node to see and edit it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;&lt;span style=&quot;color:%2&quot;&gt;%3 %4 · id %5&lt;/span&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plan is invalid: see the Problems panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (off policy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the second criterion&apos;s value counted when a path passes here: a number or an expression</source>
        <extracomment>A palette.styled() template: the field&apos;s red border follows the scheme (QSS braces doubled).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payoff 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payoff 2 range low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payoff 2 range high</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>criterion 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the second criterion: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the value counted when a path passes here (a number or an expression)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeptAutosaves</name>
    <message>
        <source>Recover autosaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosaved changes that were not recovered. Recover one to open it unsaved, or discard it to delete it for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No autosaved changes are waiting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard autosaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the autosave of %1? Its changes are lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeyboardNavigator</name>
    <message>
        <source>decision</source>
        <extracomment>Keys that are not menu actions: (where, what, keys). Help lists them with the actions. A node&apos;s kind in the Tab note (read through translate() when used).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added a child under %1 (D, C, T on the canvas set its kind)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was a %2 and is now a %3 node: its new branch shares the remaining probability (#). Ctrl+Z undoes; D, C, T set a kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was a %2 and is now a %3 node: Ctrl+Z undoes; D, C, T set a kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — F6: next pane, Shift+F6: previous, Esc: canvas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is already a %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 stays a %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is now a %2 (was a %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LeagueView</name>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maximize</source>
        <extracomment>A criterion&apos;s sense as the heading says it (read through translate() when used).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minimize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dominated by row %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>extendedly dominated (mix of %1 and %2 is better)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>efficient; best at weight %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>efficient; optimal in the weight range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>efficient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>League table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No league table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policies on the two criteria</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ratio %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>League table of policies</source>
        <extracomment>The selected row&apos;s policy (decision id -&gt; option id), or None when none is selected.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policies on the two criteria plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan has problems: fix them to see the league table.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A league table weighs two criteria. Add a second one in File &gt; Plan settings (each node&apos;s payoff2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 per %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) against %3 (%4); weight %5 %6. Ratio (%6): the weight at which a row and the efficient row before it are equally good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the weight at which this row and the efficient row before it are equally good</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no decision)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LinkPicker</name>
    <message>
        <source>Track “%1” ends in success</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track “%1” ends in failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value of track “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is reached (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read a value from another track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to find a track or a node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a track or a node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values this track may read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LinkedTracksPanel</name>
    <message>
        <source>%1
cannot be evaluated from here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
EV %2 (was %3)
failure readiness %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
EV %2
failure readiness %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tracks that read this one</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Tracks: double-click to rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — double-click to rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add sibling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other tracks read what this removes; their expressions will no longer evaluate until you edit them:

%1

%2 anyway?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track title:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other tracks read it; their expressions will no longer evaluate until you edit them:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the track “%1” and all its nodes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” has unsaved changes. Save them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One row per conflict: what differs, ours, theirs, and which to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take all &amp;ours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take all &amp;theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ours (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 conflict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 conflicts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where both sides changed a value (%1), the plan holds %2 for now: keep ours, take theirs or type your own value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where one side deleted a subtree the other changed (%1), the plan keeps the changed subtree: keep it or take the deletion.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 other (see the note): accept the merge there or leave it for later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 others (see the note): accept the merge there or leave it for later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply makes all the choices as one undo step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theirs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Own value…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Own value for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type the value to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A value of your own (a compromise), set when you Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the changed subtree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the deletion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot apply that choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutcomeCriteria</name>
    <message>
        <source>%1, base case %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, combined at %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutcomeView</name>
    <message>
        <source>mean</source>
        <extracomment>At most this many distinct values are drawn one bar per value. Quantiles drawn for a cumulative curve (enough to look smooth, small in SVG). Narrower than this, the plots go one above the other even in a short dock. Lower than this, the plots go side by side even in a narrow dock. The risk profile&apos;s three charts go in one row only from this width.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>success</source>
        <extracomment>How a sampled path ends, as the legend and the bar chart name it (the CSV keeps PATH_NAMES).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neutral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Success</source>
        <extracomment>The same under the bars of the path-ends chart, capitalised (a translation may not capitalise so).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P5 / P50 / P95</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realised outcome, by how the path ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realised outcome of one sampled path%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Realised outcome%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value per iteration (base case %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value per iteration%1, base case %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative risk profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative risk profile: chance of ending at or below a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P(value ≤ x) (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative probability (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>realised outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base EV %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path ends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How sampled paths end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best option</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How often each option is best</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% (blue: base case)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of iterations (blue: base-case choice)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no decision in this track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Iterations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monte Carlo iterations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;eed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same seed gives the same simulation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outcome distribution plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk profile plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Risk profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monte Carlo runs when this panel is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of iterations</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Outline</name>
    <message>
        <source>Outline</source>
        <extracomment>Rows opened when a plan or track is first shown: enough to see the shape of the tree without expanding a 100,000-node plan. Column widths (pixels) that fit a 320-420 px dock; the label takes the rest.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The nodes of the current track as a tree, with kind, path, probability, EV and readiness columns</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanSettingsDialog</name>
    <message>
        <source>Plan settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. points, EUR m, lives</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weigh a &amp;second criterion (each node&apos;s payoff2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Gross margin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions take the best weight x criterion 1 + criterion 2 (each signed by its sense); Infinity judges criterion 1 alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weights the league table marks optimal rows for, e.g. 0 to Infinity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan settings: %1 changed (Ctrl+Z undoes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan settings: nothing changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlanTreeModel</name>
    <message>
        <source>label</source>
        <extracomment>MIME type of a dragged node (a JSON list of node ids). Role that returns the node id of an index. Role that returns a branch&apos;s readiness badge (none, late, partial, ready; None off branches). Size of the row icons (a path stripe, then the kind&apos;s shape).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>p</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch probability (italic: computed from an expression or &apos;#&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected value of the subtree, its own payoff included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>branch readiness: best response readiness (late ones count 0); dot: grey none, red late, amber partial, green ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>success, failure or neutral path (inherited in italics)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probability as written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>late: %1: %2 d lead time vs %3 d warning</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>Export walk log as Markdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot export walk log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export walk log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No walks are recorded in this plan yet (F5 presents).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This plan cannot be presented yet:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walk recorded: %1 steps (Ctrl+Z removes it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Walk the current track full screen, from the selected node (Esc returns)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Present the track from the selected node (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export walk &amp;log as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save every recorded walk of this plan as a Markdown file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresenterWindow</name>
    <message>
        <source>Branchwise — presenting</source>
        <extracomment>(walk log entry, or None when the walk went nowhere; node id reached) the user asked to export the walk log (entry): the application saves it the walk moved or revealed (current node id)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Presenter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right or Space reveals and steps in, Left steps back, 1 to 9 take a branch, T switches audience and console, Esc leaves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export walk log as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PriorityView</name>
    <message>
        <source>Response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Marginal value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responses by priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to prepare next: double-click a response to select its branch in the tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan cannot be evaluated: see Problems.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No responses in this track yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 responses · raising all of them to ready would add about %2%3 (marginal values sum to %4%5)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <source>error</source>
        <extracomment>Role holding the row&apos;s :class:`planning.model.errors.Fix` (None when there is none). Rows shown at most: a broken 100k-node plan can report one problem per node. A problem&apos;s severity as its tooltip says it (read through translate() when used).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems of the plan; Enter selects the node, the Fix button applies the offered fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>click to show the node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>right-click or Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems (1 error, %2 other)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems (%1 errors, %2 other)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReadinessView</name>
    <message>
        <source>no response</source>
        <extracomment>Rows of the branch table (costliest first); a 10,000-node plan has thousands of branches and the rest are in the CSV export.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>late</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>partly ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Badge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reach</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Late responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness per track (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness per track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per track: failure readiness and failure exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percent (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  (%2 late, %3 with no response)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure readiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure exposure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Costliest failures (points%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Costliest failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Costliest failure branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failure branches by the exposure they cost%1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure cost (points%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exposure removed if the branch were ready (percentage points)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no failure branch costs exposure: every reached failure has a ready response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness views</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Readiness overview plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>readiness appears when this panel is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branches by readiness cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a branch to select it in the tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · table shows the %1 costliest of %2 branches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tracks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 late response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 late responses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 failure branch without a response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failure branches without a response</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <source>the untitled plan “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branchwise was not closed cleanly: unsaved changes to %1 were autosaved at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The autosave cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
The autosave holds 1 unsaved change:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
The autosave holds %1 unsaved changes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
The autosave holds no changes to the plan&apos;s content.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recover unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep for later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Discard changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the plan with the autosaved changes (not yet saved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the autosave where it is: File &gt; Recover… offers it again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the autosave: its changes are lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot recover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:
%2

The autosave is kept (File &gt; Recover…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your unsaved changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 on disk now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot merge with the file on disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:
%2

The autosaved version is recovered as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recovered and merged with the newer %1 on disk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecoveryWatcher</name>
    <message>
        <source>Re&amp;cover…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Autosaved changes kept for later: recover or discard them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RenameEdit</name>
    <message>
        <source>Node label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter keeps the new label, Esc cancels</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResponsesTable</name>
    <message>
        <source>title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>what we do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>who acts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>readiness</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>idea, drafted, resourced, rehearsed or ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lead d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>days needed to carry it out once triggered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>payoff change when carried out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cost of preparing it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>trigger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the signal that sets it off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>late: %1 d lead time vs %2 d warning</source>
        <extracomment>Title and owner share the visible width, down to these widths (then the table scrolls).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Responses</source>
        <extracomment>Esc in the table: the keyboard wants out (the window sends it to the canvas).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepared responses of the selected node: title, owner, readiness, lead time, cost, effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 late response: its lead time exceeds the %1 d warning; it counts as not ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 late responses: lead times exceed the %2 d warning; they count as not ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a number: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a finite number: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: must not be negative</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunBar</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop this computation (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compute again now (it also runs by itself half a second after each edit)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SensitivityView</name>
    <message>
        <source>Tornado</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One-way sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy re-optimised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base-case policy held fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <extracomment>Bar colours of an export (light, as documents are); on screen the current scheme&apos;s.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (widest %1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tornado, %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no range moves the EV of this track</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no probability, payoff or variable has a range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 other ranged parameters do not move the EV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 other ranged parameter does not move the EV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected value%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each at its low end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at its high end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base-case EV %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spider, %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position in each range (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position in the parameter&apos;s range (%: 0 = low end, 100 = high end)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no parameter with a range moves the EV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each option&apos;s EV at “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each option&apos;s EV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>option: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>track EV (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>threshold %1: best becomes %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>best option at “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>base case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-optimise every decision in each scenario, or hold today&apos;s best choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sensitivity plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sensitivity runs when this panel is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not computed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sharing</name>
    <message>
        <source>This export needs the numbers of a valid plan; fix these first (see the Problems panel):

%1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 (%2 nodes): save it to keep it as a Branchwise plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
… and %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was imported; 1 thing was not understood and left as text or out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was imported; %2 things were not understood and left as text or out:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported with notes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged %1: nothing new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged %1 cleanly%2; Undo takes it back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged %1 with 1 conflict%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged %1 with %2 conflicts%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan holds no merge conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter: a command or a key, e.g. “track” or “Ctrl+S”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command, menu and keys of every action</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SummaryBar</name>
    <message>
        <source>the plan cannot be evaluated: see the Problems panel</source>
        <extracomment>Shorter captions for a narrow bar (a 1280-px window), tried before any figure is hidden.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plan invalid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plan invalid: 1 problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plan invalid: %1 problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;span style=&quot;color:%1&quot;&gt;%2&lt;/span&gt; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours: follow the desktop, or always light or dark</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TracksView</name>
    <message>
        <source>Each arrow runs from a track to a track that reads it. Double-click a track to open it.</source>
        <extracomment>Box size and gaps in view units (one unit ~ one pixel at the default zoom).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tracks and the links between them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TreeCanvas</name>
    <message>
        <source>Tree canvas, nothing selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a node with the arrow keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chance node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>success path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failure path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>neutral path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>probability %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected value %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>readiness %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tree canvas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tree canvas, %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ success</source>
        <extracomment>Node kind codes used in the arrays. Edge styles: index 0 is a decision&apos;s option (not a branch), then branch paths. Readiness badge names, in code order (-1 = not a branch). Fraction of the level distance where an edge turns from its diagonal into the straight run that carries the label. Layout spacing per orientation: (sibling distance, level distance) in view units. Node marker and selection ring sizes in pixels. How far (&quot;lr&quot;) a label that runs past its node is lifted: clear of the marker. Words for the path a node starts, in its label&apos;s figure line.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ failure</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VariablesTable</name>
    <message>
        <source>Variables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Named values that probabilities and payoffs can use</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a variable for this subtree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove the selected variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a name (letters, digits, _)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is defined twice</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VoiView</name>
    <message>
        <source>no decision in this track: information cannot change a choice</source>
        <extracomment>Progress steps of a run (chunks of the Monte Carlo rollback).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worth knowing before “%1”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worth knowing first%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worth nothing: no ranged quantity can change the best option here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Iterations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Monte Carlo iterations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value of information plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value of information is computed when this panel is open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No decision in this track.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EV at stake: %1 deciding now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knowing the ranged quantities before “%1” is worth nothing: none can change the best option.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Knowing every ranged quantity before “%1” is worth up to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most worth knowing: %1, up to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <source>Cannot start a plan from “%1”: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>New blank plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multi-track peace process</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product launch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branchwise</source>
        <extracomment>A plan was made or opened from the page (its path, or &quot;&quot; for a new plan).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepare for what can happen: draw the tree of decisions and events, mark the success and failure paths, and see which response to prepare next.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A .bwplan file from your computer (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent plans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget the recent plans (the files stay)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recent plans yet. Plans you open or save show up here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open plan</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>edit</name>
    <message>
        <source>Read a value from another track…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read a value from another track (its success, failure, expected value or the chance of reaching one of its nodes)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
