# What the scripts of the editors' workflows share (tools/import-drafts, push-pictures, restore-story), sourced
# from the repository's folder. The functions read $branch when they are called.

# Each line as a list item, in a code span: words from elsewhere are shown, never read as Markdown.
listed() { tr '`' "'" | sed 's/^\(.*\)$/- `\1`/'; }

# A commit made by the workflow, with a title and the lines that say what it holds.
commit_as_workflow() {
  git -c user.name="github-actions[bot]" -c user.email="41898282+github-actions[bot]@users.noreply.github.com" \
    commit --quiet --message "$1" --message "$2"
}

# HEAD pushed to $branch; an editor may have saved in /admin/ meanwhile: take their commit and push again.
# $pushed says whether it went.
push_to_branch() {
  local attempt
  pushed=false
  for attempt in 1 2 3; do
    if git push --quiet origin "HEAD:$branch"; then pushed=true; break; fi
    [ "$attempt" -lt 3 ] && git pull --quiet --rebase origin "$branch"
  done
  return 0  # the last try's `[` fails: said by $pushed, not by the status, which would end the script (set -e)
}

# The Pages workflow started on $branch (a push made with the workflow's own token starts none; GitHub runs a
# workflow asked for by name, with GH_TOKEN). $started says whether it was.
start_publishing() {
  started=true
  gh workflow run pages.yml --ref "$branch" >/dev/null 2>&1 || started=false
}
