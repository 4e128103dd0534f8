# bash completion for shardctl. Commands and flags come from `shardctl --help` and
# `shardctl COMMAND --help`, so they always match the installed binary.
_shardctl() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local cmd=${COMP_WORDS[1]}
  if [ "$COMP_CWORD" -eq 1 ]; then
    local cmds
    cmds=$(shardctl --help 2>/dev/null | awk '/^Commands:/{f=1; next} f && /^  [a-z]/{print $1} f && /^$/{f=0}')
    COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    -i|--inventory|-p|--playbook|-F|--ssh-config|--known-hosts|--ansible|--output-file|--state-dir|--policy|--token-file)
      COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output)
      if [ "$cmd" = inventory ]; then COMPREPLY=($(compgen -f -- "$cur"));
      else COMPREPLY=($(compgen -W "text json" -- "$cur")); fi
      return ;;
    --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "ini yaml" -- "$cur")); return ;;
  esac
  if [ "$cmd" = inventory ] && [ "$COMP_CWORD" -eq 2 ]; then
    COMPREPLY=($(compgen -W "import export" -- "$cur"))
    return
  fi
  if [ "$cmd" = watch ] && [ "$COMP_CWORD" -eq 2 ] && [[ "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "pause resume approve report" -- "$cur"))
    return
  fi
  if [[ "$cur" == -* ]]; then
    local help=("$cmd")
    [ "$cmd" = inventory ] && help+=("${COMP_WORDS[2]}")
    local flags
    flags=$(shardctl "${help[@]}" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _shardctl shardctl
