"""A deterministic word-level English → Spanish rendering for the stand-in server.

Not a translator: a dictionary of ~550 common English words and phrases (function
words, common verbs, lecture and ML vocabulary, the catalog glossary) applied word by
word, with articles and adjectives agreeing with the next noun. Case and punctuation
are preserved; code, identifiers and numbers (``protected_tokens``) and unknown words
are left exactly as written. Its output passes ``validate_translation`` for every
bundled sample segment, which is all it has to do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..translation import protected_tokens

# --------------------------------------------------------------------------- tables
# One entry a line. Words with a single rendering: "english: spanish".
_WORDS = """
and: y
or: o
but: pero
so: entonces
because: porque
if: si
then: luego
than: que
as: como
like: como
when: cuando
where: donde
while: mientras
since: ya que
although: aunque
though: aunque
whether: si
until: hasta que
of: de
to: a
in: en
on: en
at: en
for: para
with: con
by: por
from: desde
into: en
onto: sobre
about: sobre
over: sobre
through: a través de
between: entre
after: después de
before: antes de
under: bajo
across: a través de
without: sin
within: dentro de
per: por
via: mediante
against: contra
during: durante
inside: dentro de
around: alrededor de
above: encima de
below: debajo de
towards: hacia
toward: hacia
not: no
no: no
yes: sí
also: también
just: solo
only: solo
very: muy
really: realmente
actually: en realidad
basically: básicamente
exactly: exactamente
now: ahora
here: aquí
there: allí
again: otra vez
still: todavía
already: ya
even: incluso
too: también
well: bien
okay: bueno
ok: bueno
right: correcto
roughly: aproximadamente
approximately: aproximadamente
usually: normalmente
simply: simplemente
directly: directamente
finally: finalmente
slowly: lentamente
quickly: rápidamente
completely: completamente
nearly: casi
almost: casi
always: siempre
never: nunca
often: a menudo
sometimes: a veces
together: juntos
instead: en cambio
otherwise: de lo contrario
once: una vez
later: después
back: de vuelta
forward: hacia adelante
backward: hacia atrás
backwards: hacia atrás
away: lejos
down: abajo
up: arriba
out: fuera
off: fuera
maybe: quizás
perhaps: quizás
probably: probablemente
essentially: esencialmente
effectively: efectivamente
especially: especialmente
independently: independientemente
manually: manualmente
automatically: automáticamente
linearly: linealmente
exponentially: exponencialmente
how: cómo
why: por qué
what: lo que
which: que
who: quien
whose: cuyo
it: esto
i: yo
we: nosotros
you: tú
he: él
she: ella
they: ellos
me: mí
us: nosotros
them: ellos
itself: sí mismo
yourself: tú mismo
everyone: todos
everything: todo
something: algo
nothing: nada
anything: cualquier cosa
is: es
are: son
was: era
were: eran
be: ser
been: sido
being: siendo
am: soy
have: tener
has: tiene
had: tenía
do: hacer
does: hace
did: hizo
done: hecho
can: puede
could: podría
will: va a
would: haría
should: debería
must: debe
may: puede
might: podría
let: deja
let's: vamos a
it's: esto es
that's: eso es
there's: hay
here's: aquí está
what's: lo que es
we're: estamos
we'll: vamos a
we've: hemos
i'm: estoy
i'll: voy a
i've: he
you're: estás
you'll: vas a
they're: están
don't: no
doesn't: no
didn't: no
isn't: no es
aren't: no son
can't: no puede
won't: no va a
get: obtener
gets: obtiene
getting: obteniendo
got: obtuvo
take: tomar
takes: toma
taking: tomando
took: tomó
make: hacer
makes: hace
making: haciendo
made: hecho
use: usar
uses: usa
used: usado
using: usando
see: ver
sees: ve
seen: visto
saw: vio
look: mirar
looks: mira
looking: mirando
want: querer
wants: quiere
need: necesitar
needs: necesita
go: ir
goes: va
going: yendo
went: fue
come: venir
comes: viene
give: dar
gives: da
given: dado
call: llamar
calls: llama
called: llamado
compute: calcular
computes: calcula
computed: calculado
computing: calculando
calculate: calcular
add: sumar
adds: suma
added: sumado
adding: sumando
multiply: multiplicar
multiplies: multiplica
multiplied: multiplicado
divide: dividir
divided: dividido
dividing: dividiendo
subtract: restar
train: entrenar
trains: entrena
trained: entrenado
learn: aprender
learns: aprende
learned: aprendido
learnt: aprendido
predict: predecir
predicts: predice
predicting: prediciendo
build: construir
builds: construye
built: construido
building: construyendo
write: escribir
writes: escribe
wrote: escribió
written: escrito
run: ejecutar
runs: ejecuta
running: ejecutando
start: empezar
starts: empieza
started: empezó
starting: empezando
keep: mantener
keeps: mantiene
keeping: manteniendo
kept: mantenido
show: mostrar
shows: muestra
shown: mostrado
become: convertirse
becomes: se convierte
became: se convirtió
turn: convertir
turns: convierte
find: encontrar
finds: encuentra
found: encontrado
know: saber
think: pensar
say: decir
says: dice
said: dijo
means: significa
work: funcionar
works: funciona
worked: funcionó
try: intentar
tries: intenta
put: poner
change: cambiar
changes: cambia
changed: cambiado
update: actualizar
updates: actualiza
apply: aplicar
applies: aplica
applied: aplicado
create: crear
creates: crea
created: creado
return: devolver
returns: devuelve
returned: devuelto
produce: producir
produces: produce
produced: producido
generate: generar
generates: genera
generated: generado
implement: implementar
implemented: implementado
understand: entender
follow: seguir
follows: sigue
followed: seguido
read: leer
reads: lee
print: imprimir
prints: imprime
remove: quitar
removes: quita
removed: quitado
replace: reemplazar
replaces: reemplaza
replaced: reemplazado
grow: crecer
grows: crece
improve: mejorar
improves: mejora
improved: mejorado
match: coincidir
matches: coincide
store: guardar
stores: guarda
stored: guardado
define: definir
defines: define
defined: definido
collect: recoger
collects: recoge
move: mover
moves: mueve
happen: ocurrir
happens: ocurre
notice: notar
check: comprobar
checks: comprueba
fix: corregir
fixes: corrige
fixed: fijo
pass: pasar
passes: pasa
passed: pasado
feed: alimentar
feeds: alimenta
normalize: normalizar
normalizes: normaliza
normalized: normalizado
encode: codificar
encodes: codifica
encoded: codificado
decode: decodificar
decodes: decodifica
reach: alcanzar
reaches: alcanza
reached: alcanzado
hold: contener
holds: contiene
contain: contener
contains: contiene
estimate: estimar
estimates: estima
evaluate: evaluar
initialize: inicializar
initialized: inicializado
summed: sumado
equals: es igual a
plus: más
minus: menos
times: veces
squared: al cuadrado
twice: dos veces
more: más
most: más
less: menos
zero: cero
billion: mil millones
each: cada
every: cada
both: ambos
any: cualquier
such: tal
everywhere: en todas partes
doing: haciendo
far: lejos
today: hoy
mostly: principalmente
rather: más bien
yet: todavía
further: más
likely: probablemente
equally: igualmente
slightly: ligeramente
numerically: numéricamente
indeed: de hecho
clearly: claramente
fairly: bastante
noticeably: notablemente
entirely: completamente
similarly: de manera similar
extremely: extremadamente
quite: bastante
enough: suficiente
honestly: honestamente
eventually: finalmente
currently: actualmente
internally: internamente
mathematically: matemáticamente
efficiently: eficientemente
carefully: con cuidado
pretty: bastante
fully: completamente
fewer: menos
fine: bien
else: más
either: cualquiera
neither: ni
nor: ni
ever: alguna vez
except: excepto
including: incluyendo
besides: además de
along: a lo largo de
beyond: más allá de
whenever: siempre que
themselves: ellos mismos
cannot: no puede
least: menos
apart: aparte
hello: hola
hi: hola
thanks: gracias
compare: comparar
compared: comparado
summarize: resumir
wrap: envolver
treat: tratar
treats: trata
appears: aparece
appeared: apareció
copy: copiar
copied: copiado
assigns: asigna
exponentiate: exponenciar
concatenate: concatenar
concatenated: concatenado
merged: fusionado
draw: dibujar
draws: dibuja
tell: decir
tells: dice
walk: recorrer
walks: recorre
record: registrar
backpropagate: retropropagar
require: requerir
requires: requiere
introduce: introducir
introduced: introducido
encourage: animar
append: añadir
describe: describir
describes: describe
turned: convertido
reported: reportado
ask: preguntar
asks: pregunta
converge: converger
beat: superar
beats: supera
flatten: aplanar
nudge: empujar
track: seguir
verify: verificar
derived: derivado
depends: depende
rewrite: reescribir
tune: ajustar
explode: explotar
explodes: explota
visualize: visualizar
repeat: repetir
optimize: optimizar
hurts: perjudica
brings: trae
expect: esperar
expects: espera
expected: esperado
subtracted: restado
retain: retener
inspect: inspeccionar
combined: combinado
increase: aumentar
help: ayudar
helps: ayuda
reproduce: reproducir
fill: llenar
processed: procesado
talk: hablar
implements: implementa
remembers: recuerda
measure: medir
fails: falla
swaps: intercambia
iterate: iterar
looked: miró
feel: sentir
exist: existir
begin: comenzar
occurs: ocurre
convert: convertir
receive: recibir
interpret: interpretar
evaluates: evalúa
stop: detener
stops: se detiene
choose: elegir
chose: eligió
guess: adivinar
behave: comportarse
behaves: se comporta
transfer: transferir
suggests: sugiere
stay: quedarse
stays: se mantiene
drop: bajar
drops: baja
bump: aumentar
flows: fluye
flowing: fluyendo
matter: importar
matters: importa
approximate: aproximar
shift: desplazar
forces: obliga
decays: decae
writing: escribiendo
calling: llamando
changing: cambiando
counting: contando
continuing: continuando
reading: leyendo
finding: encontrando
watching: viendo
multiplying: multiplicando
normalizing: normalizando
pushing: empujando
summarizes: resume
include: incluir
includes: incluye
included: incluido
support: apoyar
previously: previamente
throughout: en todo
someone: alguien
somewhere: en algún lugar
clipped: recortado
clipping: recortando
silently: silenciosamente
ignored: ignorado
differentiate: derivar
cancels: se cancela
register: registrar
holding: conteniendo
picks: elige
checking: comprobando
forgot: olvidó
initializes: inicializa
among: entre
shares: comparte
intuitively: intuitivamente
import: importar
differently: de manera diferente
matched: emparejado
"""

# Nouns: "english[/plural]: spanish[/plural] m|f". Plurals are formed when not given; "mp"/"fp"
# mark a plural-only word, "/-" a noun whose plural is another word ("means" is the verb).
# Glossary terms that stay in English (token, batch, embedding) map to themselves.
_NOUNS = """
network: red f
layer: capa f
neuron: neurona f
weight: peso m
bias/biases: sesgo m
loss/losses: pérdida f
gradient: gradiente m
derivative: derivada f
model: modelo m
training: entrenamiento m
learning: aprendizaje m
data: datos mp
input: entrada f
output: salida f
size: tamaño m
function: función f
value: valor m
number: número m
word: palabra f
character: carácter/caracteres m
vocabulary/vocabularies: vocabulario m
example: ejemplo m
probability/probabilities: probabilidad f
sequence: secuencia f
context: contexto m
block: bloque m
head: cabeza f
step: paso m
rate: tasa f
error: error m
row: fila f
column: columna f
table: tabla f
matrix/matrices: matriz/matrices f
vector: vector m
dimension: dimensión f
shape: forma f
position: posición f
code: código m
paper: artículo m
text: texto m
sentence: oración f
letter: letra f
name: nombre m
graph: grafo m
node: nodo m
operation: operación f
expression: expresión f
slope: pendiente f
parameter: parámetro m
distribution: distribución f
variance: varianza f
deviation: desviación f
normalization: normalización f
initialization: inicialización f
activation: activación f
connection: conexión f
convolution: convolución f
representation: representación f
attention: atención f
encoder: codificador m
decoder: decodificador m
query/queries: consulta f
key: clave f
count: conteo m
pair: par m
list: lista f
index/indices: índice m
file: archivo m
string: cadena f
integer: entero m
merge: fusión f
split: división f
test: prueba f
validation: validación f
sample: muestra f
idea: idea f
thing: cosa f
way: manera f
point: punto m
line: línea f
part: parte f
end: final m
beginning: principio m
problem: problema m
result: resultado m
answer: respuesta f
question: pregunta f
reason: razón f
case: caso m
level: nivel m
order: orden m
information: información f
memory/memories: memoria f
image: imagen/imágenes f
feature: característica f
class/classes: clase f
label: etiqueta f
architecture: arquitectura f
machine: máquina f
language: lenguaje m
translation: traducción f
library/libraries: biblioteca f
lecture: clase f
video: video m
notebook: cuaderno m
exercise: ejercicio m
computation: cálculo m
product: producto m
scale: escala f
range: rango m
ratio: proporción f
amount: cantidad f
kind: tipo m
type: tipo m
version: versión f
bug: error m
method: método m
object: objeto m
module: módulo m
loop: ciclo m
iteration: iteración f
epoch: época f
optimization: optimización f
descent: descenso m
entropy: entropía f
likelihood: verosimilitud f
noise: ruido m
unit: unidad f
depth: profundidad f
width: anchura f
world: mundo m
people: gente f
time: vez/veces f
minute: minuto m
hour: hora f
lot: montón m
bit: poco m
half: mitad f
percent: por ciento m
million: millón/millones m
system: sistema m
task: tarea f
algorithm: algoritmo m
dataset: conjunto de datos/conjuntos de datos m
set: conjunto m
document: documento m
figure: figura f
section: sección f
chapter: capítulo m
detail: detalle m
direction: dirección f
effect: efecto m
difference: diferencia f
equation: ecuación f
formula: fórmula f
experiment: experimento m
performance: rendimiento m
accuracy: precisión f
prediction: predicción f
target: objetivo m
state: estado m
statistic: estadística f
average: promedio m
mean/-: media f
square: cuadrado m
root: raíz/raíces f
tree: árbol m
cost: costo m
term: término m
element: elemento m
user: usuario m
assistant: asistente m
window: ventana f
channel: canal m
filter: filtro m
kernel: núcleo m
token/tokens: token/tokens m
batch/batches: batch/batches m
embedding/embeddings: embedding/embeddings m
tensor: tensor m
softmax/-: softmax m
logits: logits mp
transformer/transformers: transformer/transformers m
tokenizer: tokenizador m
sum: suma f
length: longitud f
space: espacio m
top: cima f
view: vista f
identity/identities: identidad f
hand: mano f
respect: respecto m
practice: práctica f
shortcut: atajo m
map: mapa m
mapping: mapeo m
plot: gráfico m
addition: suma f
note: nota f
stack: pila f
rule: regla f
sense: sentido m
decay: decaimiento m
maximum: máximo m
approach/approaches: enfoque m
net: red f
improvement: mejora f
buffer: búfer m
classification: clasificación f
complexity: complejidad f
degradation: degradación f
encoding: codificación f
projection: proyección f
power: potencia f
structure: estructura f
multiplication: multiplicación f
repository/repositories: repositorio m
dictionary/dictionaries: diccionario m
source: fuente f
implementation: implementación f
dog: perro m
cat: gato m
dimensionality: dimensionalidad f
option: opción f
pattern: patrón m
mask: máscara f
momentum: momento m
baseline: referencia f
base: base f
engine: motor m
intuition: intuición f
place: lugar m
picture: imagen/imágenes f
seed: semilla f
infinity: infinito m
variable: variable f
group: grupo m
processor: procesador m
trick: truco m
inference: inferencia f
documentation: documentación f
visualization: visualización f
transformation: transformación f
communication: comunicación f
path: camino m
chunk: fragmento m
tokenization: tokenización f
piece: pieza f
entry/entries: entrada f
cell: celda f
generator: generador m
history/histories: historia f
symbol: símbolo m
research: investigación f
purpose: propósito m
score: puntuación f
side: lado m
mode: modo m
flag: bandera f
branch/branches: rama f
comparison: comparación f
detection: detección f
counterpart: contraparte f
punctuation: puntuación f
setting: configuración f
dependency/dependencies: dependencia f
recurrence: recurrencia f
form: forma f
arithmetic: aritmética f
indentation: sangría f
contraction: contracción f
future: futuro m
knowledge: conocimiento m
phrase: frase f
diagram: diagrama m
storage: almacenamiento m
chance: oportunidad f
strength: fuerza f
meaning: significado m
colleague: colega m
valley: valle m
schedule: programa m
principle: principio m
heart: corazón m
mind: mente f
division: división f
negation: negación f
contribution: contribución f
application: aplicación f
leaf/leaves: hoja f
math: matemáticas fp
child/children: hijo m
attribute: atributo m
regularization: regularización f
lookup: búsqueda f
concatenation: concatenación f
process/processes: proceso m
link: enlace m
news: noticias fp
innovation: innovación f
patch/patches: parche m
solver: solucionador m
item: elemento m
middle: medio m
english: inglés m
array: arreglo m
scalar: escalar m
gain: ganancia f
flow: flujo m
inconsistency/inconsistencies: inconsistencia f
apostrophe: apóstrofo m
mixture: mezcla f
trigram: trigrama m
bigram: bigrama m
n-gram: n-grama m
smoothing: suavizado m
sampling: muestreo m
overfitting: sobreajuste m
backpropagation: retropropagación f
variation: variación f
development: desarrollo m
design: diseño m
choice: elección f
penalty/penalties: penalización f
signal: señal f
cause: causa f
outlier: valor atípico/valores atípicos m
offset: desplazamiento m
compression: compresión f
gymnastics: gimnasia f
evaluation: evaluación f
sketch/sketches: esquema m
category/categories: categoría f
cluster: clúster m
exponent: exponente m
post: publicación f
"""

# Adjectives: "english: masculine singular[/feminine/masc plural/fem plural]"; forms derived when not given.
# They agree with the next noun; alone they take the masculine singular.
_ADJECTIVES = """
neural: neuronal
hidden: oculto
simple: simple
small: pequeño
large: grande
big: grande
new: nuevo
second: segundo
third: tercero/tercera/terceros/terceras
last: último
next: siguiente
previous: anterior
final: final
single: único
same: mismo
different: diferente
good: bueno
better: mejor
best: mejor
bad: malo
worse: peor
long: largo
short: corto
high: alto
low: bajo
lower: menor
higher: mayor
deep: profundo
true: verdadero
false: falso
correct: correcto
wrong: incorrecto
random: aleatorio
linear: lineal
negative: negativo
positive: positivo
equal: igual
whole: entero
full: completo
total: total
possible: posible
important: importante
exact: exacto
real: real
tiny: diminuto
little: pequeño
easy: fácil
hard: difícil
fast: rápido
slow: lento
special: especial
common: común
local: local
original: original
shared: compartido
separate: separado
efficient: eficiente
identical: idéntico
constant: constante
uniform: uniforme
useful: útil
standard: estándar
residual: residual
recurrent: recurrente
convolutional: convolucional
sequential: secuencial
parallel: paralelo
positional: posicional
statistical: estadístico
several: varios/varias/varios/varias
many: muchos/muchas/muchos/muchas
few: pocos/pocas/pocos/pocas
much: mucho
own: propio
other: otro
another: otro
modern: moderno
famous: famoso
natural: natural
nice: bueno
huge: enorme
main: principal
entire: entero
clear: claro
intermediate: intermedio
multiple: múltiple
individual: individual
internal: interno
current: actual
initial: inicial
optimal: óptimo
plain: simple
deeper: más profundo
longer: más largo
faster: más rápido
larger: más grande
smaller: más pequeño
bigger: más grande
shorter: más corto
simpler: más simple
easier: más fácil
nicer: mejor
dimensional: dimensional
close: cercano
careful: cuidadoso
extra: adicional
similar: similar
raw: crudo
great: excelente
noisy: ruidoso
smooth: suave
consecutive: consecutivo
optional: opcional
stochastic: estocástico
fun: divertido
free: libre
discrete: discreto
flat: plano
unbiased: insesgado
alone: solo
mathematical: matemático
interesting: interesante
inner: interno
subtle: sutil
atomic: atómico
double: doble
independent: independiente
binary: binario
convenient: conveniente
unstable: inestable
quick: rápido
floating: flotante
normal: normal
fourth: cuarto
complex: complejo
probabilistic: probabilístico
strong: fuerte
semantic: semántico
explicit: explícito
direct: directo
complete: completo
exponential: exponencial
partial: parcial
early: temprano
reasonable: razonable
straight: recto
white: blanco
dead: muerto
strange: extraño
particular: particular
manual: manual
relative: relativo
nonlinear: no lineal
hierarchical: jerárquico
global: global
favorite: favorito
past: pasado
unknown: desconocido
unique: único
inverse: inverso
confusing: confuso
differentiable: diferenciable
flexible: flexible
available: disponible
classical: clásico
nearby: cercano
sure: seguro
left: izquierdo
fake: falso
empty: vacío
interchangeable: intercambiable
open: abierto
following: siguiente
matching: coincidente
scaled: escalado
weighted: ponderado
masked: enmascarado
distributed: distribuido
connected: conectado
stacked: apilado
based: basado
shifted: desplazado
saturated: saturado
restricted: restringido
sensitive: sensible
official: oficial
interpolated: interpolado
modified: modificado
unlikely: improbable
vanishing: desvaneciente
related: relacionado
lowest: más bajo
two: dos/dos/dos/dos
three: tres/tres/tres/tres
four: cuatro/cuatro/cuatro/cuatro
five: cinco/cinco/cinco/cinco
six: seis/seis/seis/seis
seven: siete/siete/siete/siete
eight: ocho/ocho/ocho/ocho
nine: nueve/nueve/nueve/nueve
ten: diez/diez/diez/diez
hundred: cien/cien/cien/cien
thousand: mil/mil/mil/mil
"""

# Determiners: "english: m f mp fp [| alone]": the form agreeing with the next noun, or "alone".
_DETERMINERS = """
the: el la los las
a: un una unos unas
an: un una unos unas
this: este esta estos estas | esto
these: estos estas estos estas
that: ese esa esos esas | que
those: esos esas esos esas
all: todo toda todos todas
some: algún alguna algunos algunas
one: un una unos unas | uno
my: mi mi mis mis
our: nuestro nuestra nuestros nuestras
your: tu tu tus tus
its: su su sus sus
their: su su sus sus
his: su su sus sus
her: su su sus sus
first: primer primera primeros primeras | primero
"""

# Phrases (two or more words, longest match first): "english words: spanish [m|f|mp|fp]".
_PHRASES = """
neural network: red neuronal f
neural networks: redes neuronales fp
neural net: red neuronal f
neural nets: redes neuronales fp
learning rate: tasa de aprendizaje f
learning rates: tasas de aprendizaje fp
hidden layer: capa oculta f
hidden layers: capas ocultas fp
loss function: función de pérdida f
gradient descent: descenso de gradiente m
chain rule: regla de la cadena f
forward pass: pasada hacia adelante f
backward pass: pasada hacia atrás f
computational graph: grafo computacional m
training loop: ciclo de entrenamiento m
training set: conjunto de entrenamiento m
validation set: conjunto de validación m
test set: conjunto de prueba m
data set: conjunto de datos m
language model: modelo de lenguaje m
language models: modelos de lenguaje mp
activation function: función de activación f
activation functions: funciones de activación fp
residual connection: conexión residual f
residual connections: conexiones residuales fp
cross entropy: entropía cruzada f
cross-entropy: entropía cruzada f
negative log likelihood: log-verosimilitud negativa f
log likelihood: log-verosimilitud f
multi-layer perceptron: perceptrón multicapa m
multilayer perceptron: perceptrón multicapa m
self-attention: autoatención f
multi-head attention: atención multicabeza f
batch normalization: normalización por lotes f
standard deviation: desviación estándar f
deep learning: aprendizaje profundo m
machine learning: aprendizaje automático m
one-hot encoding: codificación one-hot f
for example: por ejemplo
for instance: por ejemplo
in order to: para
so that: para que
such as: como
as well: también
each other: entre sí
a lot of: mucho
a lot: mucho
a bit: un poco
a little bit: un poco
kind of: más o menos
sort of: más o menos
going to: va a
we're going to: vamos a
i'm going to: voy a
there is: hay
there are: hay
how much: cuánto
how many: cuántos
at the end: al final
at the same time: al mismo tiempo
in other words: en otras palabras
of course: por supuesto
at least: al menos
at most: como máximo
in practice: en la práctica
in fact: de hecho
on top of: encima de
instead of: en lugar de
because of: debido a
rather than: en lugar de
next to: junto a
up to: hasta
all of: todos
one of: uno de
out of: de
with respect to: con respecto a
on the other hand: por otro lado
state of the art: estado del arte m
under the hood: por dentro
a few: algunos mp
no longer: ya no
at all: en absoluto
shows up: aparece
show up: aparecer
blog post: publicación de blog f
"""


# --------------------------------------------------------------------------- parsing the tables

Gender = str  # "m", "f", "mp", "fp"
_GENDERS = ("m", "f", "mp", "fp")


@dataclass(frozen=True)
class Entry:
    """How one English word or phrase renders: fixed text, or forms that agree with a noun."""

    text: str
    gender: Gender | None = None  # set for nouns: what a preceding article agrees with
    forms: dict[Gender, str] | None = None  # set for articles and adjectives
    alone: str | None = None  # a determiner's form when no noun follows (e.g. that → que)
    determiner: bool = False


def _lines(table: str) -> list[tuple[str, str]]:
    rows = []
    for raw in table.strip().splitlines():
        english, _, spanish = raw.partition(":")
        rows.append((english.strip().lower(), spanish.strip()))
    return rows


def _english_plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_UNACCENT = str.maketrans("áéíóú", "aeiou")


def _spanish_plural(word: str) -> str:
    head, _, last = word.rpartition(" ")  # "conjunto de datos" is pluralised by hand
    if head:
        return word
    if last[-1] in "aeiouáéó":
        return last + "s"
    if last.endswith("z"):
        return last[:-1] + "ces"
    if re.search(r"[áéíóú][nsl]$", last):  # función → funciones, dimensión → dimensiones
        return last[:-2] + last[-2].translate(_UNACCENT) + last[-1] + "es"
    return last + "es"


def _adjective_forms(spec: str) -> dict[Gender, str]:
    given = spec.split("/")
    if len(given) == 4:
        return dict(zip(_GENDERS, given, strict=True))
    base = given[0]
    if base.endswith("o"):
        return {"m": base, "f": base[:-1] + "a", "mp": base + "s", "fp": base[:-1] + "as"}
    plural = _spanish_plural(base)
    return {"m": base, "f": base, "mp": plural, "fp": plural}


@lru_cache(maxsize=1)
def dictionary() -> dict[str, Entry]:
    """Every English word and phrase (lower case) the stand-in renders."""
    entries: dict[str, Entry] = {}
    for english, spanish in _lines(_WORDS):
        entries[english] = Entry(spanish)
    for english, spec in _lines(_ADJECTIVES):
        entries[english] = Entry(spec.split("/")[0], forms=_adjective_forms(spec))
    for english, spec in _lines(_NOUNS):
        words, gender = spec.rsplit(" ", 1)
        singular_en, _, plural_en = english.partition("/")
        singular_es, _, plural_es = words.partition("/")
        if gender in ("mp", "fp"):
            entries[singular_en] = Entry(singular_es, gender=gender)
            continue
        entries[singular_en] = Entry(singular_es, gender=gender)
        if plural_en == "-":  # no plural: "means" is the verb
            continue
        entries[plural_en or _english_plural(singular_en)] = Entry(
            plural_es or _spanish_plural(singular_es), gender=gender + "p"
        )
    for english, spec in _lines(_DETERMINERS):
        forms, _, alone = spec.partition("|")
        entries[english] = Entry(
            alone.strip() or forms.split()[0],
            forms=dict(zip(_GENDERS, forms.split(), strict=True)),
            alone=alone.strip() or None,
            determiner=True,
        )
    for english, spec in _lines(_PHRASES):
        words, _, gender = spec.rpartition(" ")
        if gender in _GENDERS:
            entries[english] = Entry(words, gender=gender)
        else:
            entries[english] = Entry(spec)
    return entries


@lru_cache(maxsize=1)
def _longest_phrase() -> int:
    return max(len(key.split()) for key in dictionary())


# --------------------------------------------------------------------------- rendering

_WORD = re.compile(r"^(?P<lead>[^\w]*)(?P<core>[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?)(?P<trail>[^\w]*)$")
_SENTENCE_END = re.compile(r"[.?!:][\"')\]]*$")


@dataclass
class _Chunk:
    """One whitespace-separated piece of the text and the whitespace after it."""

    raw: str
    space: str
    protected: bool = False
    lead: str = ""
    core: str = ""
    trail: str = ""

    @property
    def word(self) -> bool:
        return bool(self.core) and not self.protected


@dataclass
class _Item:
    """A rendered piece: a translated word or phrase, or a chunk kept verbatim."""

    chunks: list[_Chunk]
    entry: Entry | None = None
    text: str = ""

    @property
    def last(self) -> _Chunk:
        return self.chunks[-1]


def _chunks(text: str) -> list[_Chunk]:
    parts = re.split(r"(\s+)", text)
    chunks = [_Chunk(raw, space) for raw, space in zip(parts[0::2], parts[1::2] + [""], strict=True)]
    # Mark every chunk overlapping a protected token (code span, identifier, number).
    joined, starts = "", []
    for chunk in chunks:
        starts.append(len(joined))
        joined += chunk.raw + " "
    owner = [i for i, chunk in enumerate(chunks) for _ in range(len(chunk.raw) + 1)]
    for token in protected_tokens(" ".join(text.split())):
        at = joined.find(token)
        while at >= 0:
            for index in range(owner[at], owner[at + len(token) - 1] + 1):
                chunks[index].protected = True
            at = joined.find(token, at + 1)
    for chunk in chunks:
        match = _WORD.match(chunk.raw)
        if match and not chunk.protected:
            chunk.lead, chunk.core, chunk.trail = match["lead"], match["core"], match["trail"]
    return chunks


def _key(chunks: list[_Chunk]) -> str:
    return " ".join(c.core.replace("’", "'").lower() for c in chunks)


def _items(chunks: list[_Chunk]) -> list[_Item]:
    entries = dictionary()
    items: list[_Item] = []
    i = 0
    while i < len(chunks):
        found: _Item | None = None
        if chunks[i].word:
            for n in range(min(_longest_phrase(), len(chunks) - i), 0, -1):
                run = chunks[i : i + n]
                if not all(c.word for c in run):
                    continue
                if any(c.trail for c in run[:-1]) or any(c.lead for c in run[1:]):
                    continue  # a phrase never spans punctuation
                entry = entries.get(_key(run))
                if entry is not None:
                    found = _Item(run, entry)
                    break
        items.append(found or _Item([chunks[i]]))
        i += len(items[-1].chunks)
    return items


def _agree(items: list[_Item]) -> None:
    """Choose each article's and adjective's form from the noun after it (over adjectives and unknown words)."""
    for index, item in enumerate(items):
        entry = item.entry
        if entry is None:
            continue
        if entry.forms is None:
            item.text = entry.text
            continue
        gender = None
        unknown = 0
        for previous, later in zip(items[index:], items[index + 1 :], strict=False):
            if previous.last.trail or later.chunks[0].lead:
                break
            if later.entry is None:  # "the tanh function": look past up to two words we don't know
                unknown += 1
                if unknown > 2:
                    break
                continue
            if later.entry.gender is not None:
                gender = later.entry.gender
                break
            if later.entry.forms is None or (later.entry.determiner and _key(item.chunks) != "all"):
                break  # only "all" looks past an article: "all the layers" → "todas las capas"
        item.text = (entry.alone or entry.forms["m"]) if gender is None else entry.forms[gender]


def _contract(items: list[_Item]) -> None:
    """de el → del, a el → al (the article then renders as nothing)."""
    for before, after in zip(items, items[1:], strict=False):
        if before.entry is None or after.entry is None or before.last.trail:
            continue
        if after.chunks[0].lead or after.last.trail or not after.chunks[0].core.islower():
            continue
        if after.text == "el" and (before.text in ("de", "a") or before.text.endswith((" de", " a"))):
            before.text += "l"
            after.text = ""


def _cased(source: str, spanish: str, sentence_start: bool) -> str:
    if source == "I" or source.startswith(("I'", "I’")):
        return spanish.capitalize() if sentence_start else spanish
    if len(source) > 1 and source.isupper():
        return spanish.upper()
    if source[0].isupper():
        return spanish[:1].upper() + spanish[1:]
    return spanish


def to_spanish(text: str) -> str:
    """The word-level Spanish rendering of text (deterministic)."""
    text = unicodedata.normalize("NFKC", text)
    items = _items(_chunks(text))
    _agree(items)
    _contract(items)
    out: list[str] = []
    sentence_start = True
    pending_space = ""
    for item in items:
        if item.entry is None:
            out.append(pending_space + item.chunks[0].raw)
            pending_space = item.last.space
        elif item.text:
            first = item.chunks[0]
            cased = _cased(first.core, item.text, sentence_start)
            out.append(pending_space + first.lead + cased + item.last.trail)
            pending_space = item.last.space
        else:  # an article merged into "del"/"al": nothing to write
            continue
        sentence_start = bool(_SENTENCE_END.search(item.last.raw)) if item.last.raw else sentence_start
    return "".join(out) + pending_space
